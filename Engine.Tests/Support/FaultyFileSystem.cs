using Quasar.Storage.Files;

namespace Quasar.Tests.Support;

/// <summary>The file operations a <see cref="FaultyFileSystem"/> rule can fail.</summary>
public enum FileFault
{
    Open,
    Write,
    PartialWrite,
    SyncData,
    SetLength,

    /// <summary>The fsync of a directory (after a create, rename or unlink in it).</summary>
    SyncDirectory,

    /// <summary>The unlink of a file.</summary>
    Delete,
}

/// <summary>
/// The real file system with injected failures: a rule decides, per operation and path, whether
/// the call fails with an <see cref="IOException"/> (a write can first write half its bytes).
/// </summary>
internal sealed class FaultyFileSystem : IFileSystem
{
    private readonly PhysicalFileSystem inner = PhysicalFileSystem.Instance;

    /// <summary>Returns true to fail the operation on the path; null: nothing fails.</summary>
    public Func<FileFault, string, bool>? Fail { get; set; }

    public IStorageFile Open(string path, FileMode mode, bool writable)
    {
        Check(FileFault.Open, path);
        return new FaultyFile(this, inner.Open(path, mode, writable));
    }

    public bool FileExists(string path) => inner.FileExists(path);

    public void Delete(string path)
    {
        Check(FileFault.Delete, path);
        inner.Delete(path);
    }

    public void Rename(string source, string destination) => inner.Rename(source, destination);

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path) => inner.CreateDirectory(path);

    public string[] ListFiles(string directory, string pattern) => inner.ListFiles(directory, pattern);

    public void SyncDirectory(string path)
    {
        Check(FileFault.SyncDirectory, path);
        inner.SyncDirectory(path);
    }

    private bool ShouldFail(FileFault operation, string path) => Fail?.Invoke(operation, path) == true;

    private void Check(FileFault operation, string path)
    {
        if (ShouldFail(operation, path))
        {
            throw new IOException($"injected {operation} failure on {path}");
        }
    }

    private sealed class FaultyFile(FaultyFileSystem owner, IStorageFile file) : IStorageFile
    {
        public string Path => file.Path;

        public long Length => file.Length;

        public int Read(Span<byte> buffer, long offset) => file.Read(buffer, offset);

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            if (owner.ShouldFail(FileFault.PartialWrite, Path))
            {
                file.Write(data[..(data.Length / 2)], offset);
                throw new IOException($"injected partial write on {Path}");
            }

            owner.Check(FileFault.Write, Path);
            file.Write(data, offset);
        }

        public void SyncData()
        {
            owner.Check(FileFault.SyncData, Path);
            file.SyncData();
        }

        public void SetLength(long length)
        {
            owner.Check(FileFault.SetLength, Path);
            file.SetLength(length);
        }

        public IMappedRegion Map(long capacity, bool writable) => file.Map(capacity, writable);

        public void Dispose() => file.Dispose();
    }
}
