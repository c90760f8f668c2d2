using Quasar.Tests.Support;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerSegmentTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Entries_written_across_many_tiny_segments_read_back_like_one_segment()
    {
        Entry[] all = TestEntries.Range(1, 500);
        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = 256 }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "orders:l" }))
        {
            foreach (Entry[] batch in all.Chunk(7))
            {
                ledger.Write(batch);
            }

            TestEntries.AssertMatches(all, ledger.Read(1, 1000));
            Assert.True(Directory.GetFiles(Path.Combine(temp.Path, "ledger-orders+l"), "*.seg").Length > 50);
        }

        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = 256 }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "orders:l" }))
        {
            Assert.Equal(500, ledger.Length);
            Assert.Equal(500UL, ledger.Head);
            TestEntries.AssertMatches(all, ledger.Read(1, 1000));
            TestEntries.AssertMatches(all[100..150], ledger.Read(101, 50));
            Assert.Equal((250UL, true), ledger.Index(249));
            Assert.Equal((500UL, true), ledger.Index(-1));
            Assert.Equal(222L, ledger.Delete(222));
            Assert.Equal((223UL, true), ledger.Index(0));
            TestEntries.AssertMatches(all[222..], ledger.Read(1, 1000));
        }
    }
}
