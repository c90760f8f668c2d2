using Quasar.Tests.Support;

namespace Quasar.Tests.Databases;

/// <summary>The database directory's own name is made durable when Db.Open creates it.</summary>
public sealed class DbDirectoryDurabilityTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();
    private readonly List<string> syncedDirectories = [];

    public DbDirectoryDurabilityTests() =>
        files.Fail = (operation, path) =>
        {
            if (operation == FileFault.SyncDirectory)
            {
                syncedDirectories.Add(path);
            }

            return false;
        };

    public void Dispose() => temp.Dispose();

    // Storage review F11: Db.Open created the database directory without syncing its parent, so
    // a power loss could forget the directory and every store synced inside it.
    [Fact]
    public void Opening_a_database_in_a_new_directory_syncs_the_parent_directory()
    {
        string directory = Path.Combine(temp.Path, "new-db");

        using Db db = Db.Open(directory, new DbOptions { FileSystem = files });

        Assert.Contains(temp.Path, syncedDirectories);
    }

    // Storage review F11: an existing directory's entry is already durable; opening it syncs nothing more.
    [Fact]
    public void Opening_a_database_in_an_existing_directory_does_not_sync_its_parent()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { FileSystem = files });

        Assert.DoesNotContain(Path.GetDirectoryName(temp.Path), syncedDirectories);
    }
}
