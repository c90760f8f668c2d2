namespace Quasar.Storage.Files;

/// <summary>
/// Creating a directory so that it survives a power loss: a new directory's entry lives in its
/// parent, which POSIX makes durable only by an fsync of the parent. Without it, a power loss can
/// forget the directory with everything later synced inside it.
/// </summary>
internal static class DurableDirectory
{
    /// <summary>Creates <paramref name="path"/> if missing, then syncs its parent; an existing directory is left as it is.</summary>
    /// <param name="fileSystem">The file system seam.</param>
    /// <param name="path">The directory, a full path.</param>
    /// <returns>True when the directory was created.</returns>
    public static bool Create(IFileSystem fileSystem, string path)
    {
        if (fileSystem.DirectoryExists(path))
        {
            return false;
        }

        fileSystem.CreateDirectory(path);
        string? parent = Path.GetDirectoryName(path);
        if (parent is not null)
        {
            fileSystem.SyncDirectory(parent);
        }

        return true;
    }
}
