namespace Quasar.Storage.Files;

/// <summary>
/// An open file with positional I/O only: there is no shared file position, so any number of
/// readers may run concurrently with one writer.
/// </summary>
internal interface IStorageFile : IDisposable
{
    /// <summary>The file's path, used in error messages.</summary>
    string Path { get; }

    /// <summary>The file's current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns how many were read (fewer only at end of file).</summary>
    int Read(Span<byte> buffer, long offset);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>Makes every write so far durable (fdatasync where available).</summary>
    void SyncData();

    /// <summary>Truncates or extends the file.</summary>
    void SetLength(long length);

    /// <summary>Maps the first <paramref name="capacity"/> bytes of the file into memory (extending the file when writable and shorter).</summary>
    IMappedRegion Map(long capacity, bool writable);
}

/// <summary>A memory-mapped range of a file, starting at file offset 0.</summary>
internal unsafe interface IMappedRegion : IDisposable
{
    /// <summary>The mapped length in bytes.</summary>
    long Capacity { get; }

    /// <summary>The address of the first mapped byte; valid until disposal.</summary>
    byte* Pointer { get; }

    /// <summary>Writes the mapped pages back to the file and makes them durable.</summary>
    void Sync();
}
