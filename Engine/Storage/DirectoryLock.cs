namespace Quasar.Storage;

/// <summary>
/// The exclusive lock on a database directory: the file <c>LOCK</c> held open with no sharing
/// (an advisory flock on Unix, a share-mode lock on Windows), so a second opener in this or another
/// process fails. The file's text (the holder's process id) is informational only.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = "LOCK";

    private readonly FileStream stream;

    private DirectoryLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock.</summary>
    /// <exception cref="IOException">The directory is already open; the message names it.</exception>
    public static DirectoryLock Acquire(string directory)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new IOException($"The database directory '{directory}' is already open (its {FileName} file is held by another Db in this or another process).", error);
        }

        try
        {
            // Written only when it differs: a reopen in the same process then costs one read
            // instead of a truncation and a write (opening is timed, W4).
            byte[] text = System.Text.Encoding.ASCII.GetBytes($"quasar {Environment.ProcessId}\n");
            Span<byte> found = stackalloc byte[text.Length + 1];
            if (RandomAccess.Read(stream.SafeFileHandle, found, 0) != text.Length || !found[..text.Length].SequenceEqual(text))
            {
                stream.SetLength(0);
                stream.Write(text);
                stream.Flush();
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new DirectoryLock(stream);
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
