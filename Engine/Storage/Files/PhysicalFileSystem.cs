namespace Quasar.Storage.Files;

/// <summary>The real file system.</summary>
internal sealed class PhysicalFileSystem : IFileSystem
{
    /// <summary>The shared instance; the type holds no state.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    /// <inheritdoc />
    public IStorageFile Open(string path, FileMode mode, bool writable) => new PhysicalFile(path, mode, writable);

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc />
    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <inheritdoc />
    public bool DirectoryExists(string path) => System.IO.Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path) => System.IO.Directory.CreateDirectory(path);

    /// <inheritdoc />
    public string[] ListFiles(string directory, string pattern) => System.IO.Directory.GetFiles(directory, pattern);

    /// <inheritdoc />
    public void SyncDirectory(string path) => DurableSync.SyncDirectory(path);
}
