namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="Db.Open"/> and <see cref="Db.Sync"/> with bad arguments: the documented exception and
/// no file changed in the store already in the directory (nor any directory created).
/// </summary>
public sealed class DbBadInputTests : IDisposable
{
    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    // Above 64 GiB one segment's index mapping (16 bytes per 16 bytes of data) would take more address
    // space than a process should give one file, and slot arithmetic nears overflow (storage review F17).
    public static TheoryData<long> BadSegmentSizes => [0, -1, long.MinValue, (64L << 30) + 1, (1L << 47) + 1, long.MaxValue];

    [Fact]
    public void Open_of_a_null_directory_throws_ArgumentNullException_and_leaves_files_unchanged() =>
        store.Refuses<ArgumentNullException>(() => Db.Open(null!));

    [Fact]
    public void Open_of_an_empty_directory_name_throws_ArgumentException_and_leaves_files_unchanged() =>
        store.Refuses<ArgumentException>(() => Db.Open(""));

    [Fact]
    public void Open_of_a_path_with_a_NUL_character_throws_ArgumentException_and_leaves_files_unchanged() =>
        store.Refuses<ArgumentException>(() => Db.Open(Path.Combine(store.Path, "a\0b")));

    [Theory]
    [MemberData(nameof(BadSegmentSizes))]
    public void Open_with_a_SegmentSize_below_1_or_above_2_to_the_47_throws_ArgumentOutOfRangeException_and_leaves_files_unchanged(long segmentSize) =>
        store.Refuses<ArgumentOutOfRangeException>(() => Db.Open(Path.Combine(store.Path, "new"), new DbOptions { SegmentSize = segmentSize }));

    [Fact]
    public void Open_of_a_directory_already_open_throws_IOException_and_leaves_files_unchanged() =>
        store.Refuses<IOException>(() => Db.Open(store.Path));

    [Fact]
    public void Open_of_a_path_that_is_a_file_throws_IOException_and_leaves_files_unchanged()
    {
        string file = Directory.EnumerateFiles(store.Path, "*", SearchOption.AllDirectories).First(f => !f.EndsWith("LOCK", StringComparison.Ordinal));

        store.Refuses<IOException>(() => Db.Open(file));
    }

    [Fact]
    public void Sync_after_Dispose_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.DisposeDb();

        store.Refuses<ObjectDisposedException>(store.Db.Sync);
    }
}
