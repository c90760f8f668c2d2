using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A write that fails with an I/O error as the first batch of a new segment leaves no segment
/// behind: the next write, whatever its sequences and size, gets a segment made for it.
/// </summary>
public sealed class FailedFirstAppendTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F4: the new segment stayed active, named for the failed batch's first
    // sequence, and took the next batch unchecked, so a read below that name answered from slot 0.
    [Fact]
    public void A_write_that_fails_in_a_new_segment_leaves_no_segment_named_for_it()
    {
        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            int segmentWrites = 0; // the first write of a new segment is its header, the second its first batch
            files.Fail = (operation, path) => operation == FileFault.Write && path.EndsWith(".seg", StringComparison.Ordinal) && ++segmentWrites == 2;
            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Make(100)));
            files.Fail = null;

            ledger.Write(TestEntries.Make(50), TestEntries.Make(60));

            Assert.Equal([60UL], ledger.Read(55, 1).Select(e => e.Sequence));
            Assert.Equal(60UL, ledger.Head);
        }

        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            TestEntries.AssertMatches([TestEntries.Make(50), TestEntries.Make(60)], ledger.Read(0, 100));
        }
    }

    private Db Open() =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
}
