using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A roll whose seal fails part-way (the index already trimmed to its used size) leaves a segment
/// that takes no more writes: the next write goes to a new segment, and nothing is lost.
/// </summary>
public sealed class FailedSealTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F15: the segment stayed writable over an index file cut shorter than its
    // mapping; a slot stored past the file's end is lost, or a SIGBUS once it is a page beyond.
    [Fact]
    public void A_segment_whose_seal_failed_takes_no_more_writes()
    {
        Entry[] first = TestEntries.Range(1, 60, extra: 30); // about 3.5 KiB of a 4 KiB segment
        Entry[] tooLarge = TestEntries.Range(61, 20, extra: 30);
        Entry[] small = TestEntries.Range(61, 1);
        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            ledger.Write(first);
            files.Fail = (operation, path) => operation == FileFault.SyncData && path.EndsWith(".idx", StringComparison.Ordinal);
            Assert.Throws<IOException>(() => ledger.Write(tooLarge));
            files.Fail = null;

            ledger.Write(small); // would fit in the old segment

            Assert.Equal(2, LedgerFiles.Segments(temp.Path).Length);
            TestEntries.AssertMatches([.. first, .. small], ledger.Read(0, 1000));
        }

        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            TestEntries.AssertMatches([.. first, .. small], ledger.Read(0, 1000));
        }
    }

    private Db Open() =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
}
