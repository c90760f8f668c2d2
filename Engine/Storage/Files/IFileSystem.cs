namespace Quasar.Storage.Files;

/// <summary>
/// The one seam through which the engine touches the file system. Production code uses
/// <see cref="PhysicalFileSystem"/>; tests substitute an implementation that injects I/O errors
/// or forgets unsynced writes.
/// </summary>
internal interface IFileSystem
{
    /// <summary>Opens (or creates, per <paramref name="mode"/>) a file for positional reads and writes.</summary>
    IStorageFile Open(string path, FileMode mode, bool writable);

    /// <summary>Whether a file exists.</summary>
    bool FileExists(string path);

    /// <summary>Deletes a file if it exists.</summary>
    void Delete(string path);

    /// <summary>Atomically replaces <paramref name="destination"/> with <paramref name="source"/>.</summary>
    void Rename(string source, string destination);

    /// <summary>Whether a directory exists.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates a directory (and its parents) if missing.</summary>
    void CreateDirectory(string path);

    /// <summary>The full paths of the files in <paramref name="directory"/> matching <paramref name="pattern"/>.</summary>
    string[] ListFiles(string directory, string pattern);

    /// <summary>Makes the directory's entries (creations, renames, deletions) durable where the platform allows.</summary>
    void SyncDirectory(string path);
}
