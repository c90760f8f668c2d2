namespace Quasar.Tests.BadInput;

/// <summary>
/// The bytes of every file under a directory, by path relative to it. Taken before a call that
/// must be refused and compared after it, this proves the refusal touched nothing on disk: no file
/// appeared, vanished, grew, shrank or changed a byte. The database's <c>LOCK</c> file is held open
/// with no sharing while the database is open, so only its presence is compared (it holds no data).
/// </summary>
internal sealed class DirectorySnapshot
{
    private const string DirectoryLockFile = "LOCK";

    private readonly string root;
    private readonly SortedDictionary<string, byte[]> files;

    private DirectorySnapshot(string root, SortedDictionary<string, byte[]> files)
    {
        this.root = root;
        this.files = files;
    }

    /// <summary>Reads every file under <paramref name="directory"/> (none if it does not exist).</summary>
    public static DirectorySnapshot Take(string directory)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (Directory.Exists(directory))
        {
            foreach (string path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                string name = Path.GetRelativePath(directory, path);
                files[name] = name == DirectoryLockFile ? [] : File.ReadAllBytes(path);
            }
        }

        return new DirectorySnapshot(directory, files);
    }

    /// <summary>Fails naming the first file that differs between this snapshot and the directory now.</summary>
    public void AssertUnchanged()
    {
        DirectorySnapshot now = Take(root);
        Assert.Equal(files.Keys, now.files.Keys);
        foreach ((string path, byte[] bytes) in files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(now.files[path]), $"'{path}' changed ({bytes.Length} -> {now.files[path].Length} bytes).");
        }
    }
}
