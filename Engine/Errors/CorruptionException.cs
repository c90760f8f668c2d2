namespace Quasar;

/// <summary>
/// A file failed validation in a way that recovery cannot repair (a torn tail is repaired, not
/// reported). Names the file and the byte offset where the damage was found; no wrong data is
/// ever returned in its place.
/// </summary>
public sealed class CorruptionException : QuasarException
{
    /// <summary>Creates the exception with a default message.</summary>
    public CorruptionException()
        : base("A file failed validation.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CorruptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CorruptionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for damage found in a file at an offset.</summary>
    /// <param name="filePath">The damaged file.</param>
    /// <param name="offset">The byte offset in the file where validation failed.</param>
    /// <param name="problem">What failed, e.g. "entry checksum mismatch".</param>
    public CorruptionException(string filePath, long offset, string problem)
        : base($"Corrupt file '{filePath}' at offset {offset}: {problem}.")
    {
        FilePath = filePath;
        Offset = offset;
    }

    /// <summary>The damaged file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The byte offset of the damage within <see cref="FilePath"/>, or -1 when unknown.</summary>
    public long Offset { get; } = -1;
}
