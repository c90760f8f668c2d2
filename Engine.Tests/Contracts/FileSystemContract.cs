using Quasar.Storage.Files;
using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>
/// What the file seam promises in its doc comments (<see cref="IFileSystem"/>, <see cref="IStorageFile"/>,
/// <see cref="IMappedRegion"/>): positional reads and writes with no shared position, length and
/// SetLength, a data sync, memory maps from offset 0, atomic replacing renames, deletes of files
/// that may be missing, directory creation and listing. Every implementation the engine can be
/// given runs these tests through a derived class that names it; none of them may behave
/// differently where the engine relies on it.
/// </summary>
public abstract class FileSystemContract : IDisposable
{
    private readonly TempDirectory temp = new();

    /// <summary>The implementation under test.</summary>
    private protected FileSystemContract(IFileSystem fileSystem)
    {
        FileSystem = fileSystem;
    }

    private protected IFileSystem FileSystem { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        temp.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Open_with_CreateNew_creates_an_empty_file_at_the_path_given()
    {
        string path = PathOf("new.dat");

        using IStorageFile file = FileSystem.Open(path, FileMode.CreateNew, writable: true);

        Assert.Equal(path, file.Path);
        Assert.Equal(0, file.Length);
        Assert.True(FileSystem.FileExists(path));
    }

    [Fact]
    public void Open_of_a_missing_file_with_FileMode_Open_throws_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => FileSystem.Open(PathOf("missing.dat"), FileMode.Open, writable: false));
    }

    [Fact]
    public void Open_with_CreateNew_of_an_existing_file_throws_IOException()
    {
        Create("taken.dat", Bytes(4, seed: 1));

        Assert.ThrowsAny<IOException>(() => FileSystem.Open(PathOf("taken.dat"), FileMode.CreateNew, writable: true));
    }

    [Fact]
    public void What_is_written_at_an_offset_reads_back_and_sets_the_length()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);
        byte[] first = Bytes(100, seed: 1);
        byte[] second = Bytes(50, seed: 2);

        file.Write(first, 0);
        file.Write(second, 100);

        Assert.Equal(150, file.Length);
        Assert.Equal([.. first, .. second], ReadAll(file));
    }

    [Fact]
    public void A_write_inside_the_file_replaces_only_its_own_bytes()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);
        byte[] original = Bytes(64, seed: 1);
        file.Write(original, 0);

        file.Write(new byte[] { 0xAA, 0xBB }, 10);

        byte[] expected = [.. original];
        expected[10] = 0xAA;
        expected[11] = 0xBB;
        Assert.Equal(64, file.Length);
        Assert.Equal(expected, ReadAll(file));
    }

    [Fact]
    public void A_write_past_the_end_extends_the_file_and_the_gap_reads_as_zeros()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);

        file.Write(new byte[] { 1, 2, 3 }, 10);

        Assert.Equal(13, file.Length);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3], ReadAll(file));
    }

    [Fact]
    public void A_read_returns_fewer_bytes_only_at_the_end_of_the_file()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);
        byte[] data = Bytes(100, seed: 3);
        file.Write(data, 0);
        var buffer = new byte[40];

        Assert.Equal(40, file.Read(buffer, 30));
        Assert.Equal(data[30..70], buffer);
        Assert.Equal(20, file.Read(buffer, 80));
        Assert.Equal(data[80..], buffer[..20]);
        Assert.Equal(0, file.Read(buffer, 100));
        Assert.Equal(0, file.Read(buffer, 500));
    }

    [Fact]
    public void SetLength_truncates_and_extends_with_zeros()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);
        byte[] data = Bytes(100, seed: 4);
        file.Write(data, 0);

        file.SetLength(60);
        Assert.Equal(60, file.Length);
        Assert.Equal(data[..60], ReadAll(file));

        file.SetLength(80);
        Assert.Equal(80, file.Length);
        Assert.Equal([.. data[..60], .. new byte[20]], ReadAll(file));
    }

    [Fact]
    public void What_was_written_and_synced_is_there_after_the_file_is_reopened()
    {
        byte[] data = Bytes(300, seed: 5);
        using (IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true))
        {
            file.Write(data, 0);
            file.SyncData();
        }

        using IStorageFile again = FileSystem.Open(PathOf("a.dat"), FileMode.Open, writable: false);

        Assert.Equal(data, ReadAll(again));
    }

    [Fact]
    public void OpenOrCreate_keeps_what_an_existing_file_holds()
    {
        byte[] data = Bytes(20, seed: 6);
        Create("a.dat", data);

        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.OpenOrCreate, writable: true);

        Assert.Equal(data, ReadAll(file));
    }

    [Fact]
    public async Task Readers_running_concurrently_with_a_writer_each_read_their_own_offsets()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.dat"), FileMode.CreateNew, writable: true);
        const int Blocks = 64;
        const int BlockSize = 256;
        for (int block = 0; block < Blocks; block++)
        {
            file.Write(Bytes(BlockSize, seed: block), (long)block * BlockSize);
        }

        Task writer = Task.Run(() =>
        {
            for (int block = Blocks; block < 2 * Blocks; block++)
            {
                file.Write(Bytes(BlockSize, seed: block), (long)block * BlockSize);
            }
        });
        Task[] readers = [.. Enumerable.Range(0, 4).Select(reader => Task.Run(() =>
        {
            var buffer = new byte[BlockSize];
            for (int round = 0; round < 200; round++)
            {
                int block = (round * 7 + reader * 13) % Blocks;
                Assert.Equal(BlockSize, file.Read(buffer, (long)block * BlockSize));
                Assert.Equal(Bytes(BlockSize, seed: block), buffer);
            }
        }))];

        await Task.WhenAll([writer, .. readers]).Within();
        Assert.Equal(2L * Blocks * BlockSize, file.Length);
    }

    [Fact]
    public unsafe void A_writable_map_extends_a_shorter_file_to_its_capacity()
    {
        using IStorageFile file = FileSystem.Open(PathOf("a.idx"), FileMode.CreateNew, writable: true);
        file.Write(new byte[] { 1, 2, 3 }, 0);

        using IMappedRegion region = file.Map(4096, writable: true);

        Assert.Equal(4096, region.Capacity);
        Assert.Equal(4096, file.Length);
        Assert.Equal([1, 2, 3, 0], new ReadOnlySpan<byte>(region.Pointer, 4).ToArray());
    }

    [Fact]
    public unsafe void Bytes_stored_through_a_synced_map_read_back_through_the_file_and_after_reopening()
    {
        byte[] data = Bytes(100, seed: 7);
        using (IStorageFile file = FileSystem.Open(PathOf("a.idx"), FileMode.CreateNew, writable: true))
        using (IMappedRegion region = file.Map(4096, writable: true))
        {
            data.CopyTo(new Span<byte>(region.Pointer + 1000, data.Length));
            region.Sync();

            var buffer = new byte[data.Length];
            Assert.Equal(data.Length, file.Read(buffer, 1000));
            Assert.Equal(data, buffer);
        }

        using IStorageFile again = FileSystem.Open(PathOf("a.idx"), FileMode.Open, writable: false);
        Assert.Equal(data, ReadAll(again)[1000..1100]);
    }

    [Fact]
    public unsafe void A_read_only_map_shows_what_the_file_holds()
    {
        byte[] data = Bytes(512, seed: 8);
        Create("a.idx", data);
        using IStorageFile file = FileSystem.Open(PathOf("a.idx"), FileMode.Open, writable: false);

        using IMappedRegion region = file.Map(512, writable: false);

        Assert.Equal(data, new ReadOnlySpan<byte>(region.Pointer, 512).ToArray());
    }

    [Fact]
    public void Rename_moves_a_file_to_a_new_name()
    {
        byte[] data = Bytes(10, seed: 9);
        Create("a.tmp", data);

        FileSystem.Rename(PathOf("a.tmp"), PathOf("a.dat"));

        Assert.False(FileSystem.FileExists(PathOf("a.tmp")));
        Assert.Equal(data, File.ReadAllBytes(PathOf("a.dat")));
    }

    [Fact]
    public void Rename_replaces_an_existing_destination()
    {
        byte[] replacement = Bytes(10, seed: 10);
        Create("table.log", Bytes(99, seed: 11));
        Create("table.log.tmp", replacement);

        FileSystem.Rename(PathOf("table.log.tmp"), PathOf("table.log"));

        Assert.False(FileSystem.FileExists(PathOf("table.log.tmp")));
        Assert.Equal(replacement, File.ReadAllBytes(PathOf("table.log")));
    }

    [Fact]
    public void Delete_removes_a_file()
    {
        Create("a.dat", Bytes(5, seed: 12));

        FileSystem.Delete(PathOf("a.dat"));

        Assert.False(FileSystem.FileExists(PathOf("a.dat")));
    }

    [Fact]
    public void Delete_of_a_missing_file_does_nothing()
    {
        FileSystem.Delete(PathOf("missing.dat"));

        Assert.False(FileSystem.FileExists(PathOf("missing.dat")));
    }

    [Fact]
    public void FileExists_is_false_for_a_missing_file_and_for_a_directory()
    {
        FileSystem.CreateDirectory(PathOf("sub"));

        Assert.False(FileSystem.FileExists(PathOf("missing.dat")));
        Assert.False(FileSystem.FileExists(PathOf("sub")));
    }

    [Fact]
    public void CreateDirectory_creates_missing_parents_and_accepts_an_existing_directory()
    {
        string nested = PathOf(Path.Combine("one", "two", "three"));

        FileSystem.CreateDirectory(nested);
        FileSystem.CreateDirectory(nested);

        Assert.True(FileSystem.DirectoryExists(nested));
        Assert.True(FileSystem.DirectoryExists(PathOf("one")));
        Assert.False(FileSystem.DirectoryExists(PathOf("missing")));
    }

    [Fact]
    public void ListFiles_returns_the_full_paths_of_the_matching_files_only()
    {
        Create("00000001.seg", [1]);
        Create("00000002.seg", [2]);
        Create("00000001.idx", [3]);
        FileSystem.CreateDirectory(PathOf("dir.seg"));

        string[] listed = FileSystem.ListFiles(temp.Path, "*.seg");

        Assert.Equal([PathOf("00000001.seg"), PathOf("00000002.seg")], listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ListFiles_of_a_directory_without_matches_is_empty()
    {
        Create("tail", [1]);

        Assert.Empty(FileSystem.ListFiles(temp.Path, "*.seg"));
    }

    [Fact]
    public void SyncDirectory_after_creating_renaming_and_deleting_leaves_the_entries_as_they_are()
    {
        Create("a.tmp", [1, 2]);
        Create("b.dat", [3]);
        FileSystem.Rename(PathOf("a.tmp"), PathOf("a.dat"));
        FileSystem.Delete(PathOf("b.dat"));

        FileSystem.SyncDirectory(temp.Path);

        Assert.Equal([PathOf("a.dat")], FileSystem.ListFiles(temp.Path, "*"));
    }

    private string PathOf(string name) => Path.Combine(temp.Path, name);

    /// <summary>Creates <paramref name="name"/> holding <paramref name="data"/> through the file system under test.</summary>
    private void Create(string name, byte[] data)
    {
        using IStorageFile file = FileSystem.Open(PathOf(name), FileMode.CreateNew, writable: true);
        file.Write(data, 0);
    }

    private static byte[] ReadAll(IStorageFile file)
    {
        var buffer = new byte[file.Length];
        Assert.Equal(buffer.Length, file.Read(buffer, 0));
        return buffer;
    }

    /// <summary>Deterministic bytes that differ with <paramref name="seed"/>.</summary>
    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
