using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A segment whose failed write could not be undone refuses every later write, including one
/// that would roll to a new segment: sealing it would make the failed record durable.
/// </summary>
public sealed class BrokenSegmentRollTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F5: a write too large for the broken segment sealed it (syncing the half
    // record) and went to a new segment; the reopen then failed on the sealed segment's data.
    [Fact]
    public void After_a_roll_back_fails_a_write_that_needs_a_new_segment_is_refused_too()
    {
        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            ledger.Write(TestEntries.Range(1, 3));
            files.Fail = (operation, path) => operation is FileFault.PartialWrite or FileFault.SetLength && path.EndsWith(".seg", StringComparison.Ordinal);
            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(4, 3)));
            files.Fail = null;

            IOException refused = Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(7, 20, extra: 200)));
            Assert.Contains("could not be undone", refused.Message, StringComparison.Ordinal);
            Assert.Equal(3, ledger.Length);
            Assert.Single(LedgerFiles.Segments(temp.Path));
        }

        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            TestEntries.AssertMatches(TestEntries.Range(1, 3), ledger.Read(0, 100));
            ledger.Write(TestEntries.Range(4, 3));
            Assert.Equal(6, ledger.Length);
        }
    }

    private Db Open() =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
}
