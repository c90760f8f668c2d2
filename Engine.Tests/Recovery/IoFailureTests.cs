using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A write that fails with an I/O error leaves nothing behind: not in the open store, and not
/// after a restart, and the store keeps working once the disk does.
/// </summary>
public sealed class IoFailureTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(FileFault.Write, false)]
    [InlineData(FileFault.PartialWrite, false)]
    [InlineData(FileFault.PartialWrite, true)]
    public void A_ledger_write_that_fails_leaves_no_trace_and_the_next_write_succeeds(FileFault failure, bool syncWrites)
    {
        using (Db db = Open(syncWrites))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 3));
            files.Fail = (operation, path) => operation == failure && path.EndsWith(".seg", StringComparison.Ordinal);

            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(4, 3)));

            files.Fail = null;
            Assert.Equal(3, ledger.Length);
            Assert.Equal(3UL, ledger.Head);
            ledger.Write(TestEntries.Range(10, 2));
        }

        using (Db db = Open(syncWrites))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal([1UL, 2, 3, 10, 11], ledger.Read(0, 100).Select(e => e.Sequence));
        }
    }

    /// <summary>
    /// After a failed fdatasync the kernel may have dropped the dirty pages, and a retried sync
    /// can report success for data that never reached the disk; so the ledger cuts the batch off,
    /// and since the cut cannot be made durable either, it refuses writes until it is reopened.
    /// </summary>
    [Fact]
    public void A_durable_write_whose_sync_fails_is_refused_and_absent_after_a_reopen()
    {
        using (Db db = Open(syncWrites: true))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 3));
            files.Fail = (operation, path) => operation == FileFault.SyncData && path.EndsWith(".seg", StringComparison.Ordinal);
            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(4, 3)));
            files.Fail = null;

            Assert.Equal(3, ledger.Length);
            IOException refused = Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(7, 3)));
            Assert.Contains("could not be undone", refused.Message, StringComparison.Ordinal);
        }

        using (Db db = Open(syncWrites: true))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal(3UL, ledger.Head);
            Assert.Equal([1UL, 2, 3], ledger.Read(0, 100).Select(e => e.Sequence));
            ledger.Write(TestEntries.Range(4, 3));
            Assert.Equal(6, ledger.Length);
        }
    }

    [Fact]
    public void A_write_whose_new_segment_cannot_be_created_fails_and_the_next_one_rolls()
    {
        using (Db db = Open(syncWrites: false, segmentSize: 200))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 5));
            files.Fail = (operation, path) => operation == FileFault.Open && path.EndsWith("00000000000000000006.seg", StringComparison.Ordinal);

            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(6, 5)));

            files.Fail = null;
            Assert.Equal(5UL, ledger.Head);
            ledger.Write(TestEntries.Range(6, 5));
            Assert.Equal(10, ledger.Length);
        }

        using (Db db = Open(syncWrites: false, segmentSize: 200))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            TestEntries.AssertMatches(TestEntries.Range(1, 10), ledger.Read(0, 100));
        }
    }

    [Fact]
    public void When_even_the_roll_back_fails_later_writes_are_refused_until_a_reopen_recovers()
    {
        using (Db db = Open(syncWrites: false))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 3));
            files.Fail = (operation, path) => operation is FileFault.PartialWrite or FileFault.SetLength && path.EndsWith(".seg", StringComparison.Ordinal);
            Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(4, 3)));
            files.Fail = null;

            IOException refused = Assert.Throws<IOException>(() => ledger.Write(TestEntries.Range(7, 3)));
            Assert.Contains("could not be undone", refused.Message, StringComparison.Ordinal);
            Assert.Equal(3, ledger.Length);
        }

        // The half-written batch is a torn tail: recovery drops it and the ledger takes writes again.
        using (Db db = Open(syncWrites: false))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal([1UL, 2, 3], ledger.Read(0, 100).Select(e => e.Sequence));
            ledger.Write(TestEntries.Range(4, 3));
            Assert.Equal(6, ledger.Length);
        }
    }

    [Theory]
    [InlineData(FileFault.Write)]
    [InlineData(FileFault.PartialWrite)]
    public void A_table_set_that_fails_leaves_no_trace_and_the_next_set_succeeds(FileFault failure)
    {
        using (Db db = Open(syncWrites: true))
        using (var table = Table.Open(db, new TableOptions { Prefix = "t", Cache = false }))
        {
            table.Set("a", 1, 2);
            files.Fail = (operation, path) => operation == failure && path.EndsWith("table.log", StringComparison.Ordinal);

            Assert.Throws<IOException>(() => table.Set("a", 5, 6));

            files.Fail = null;
            Assert.Equal([1UL, 2], table.Get("a"));
            table.Set("b", 7);
        }

        using (Db db = Open(syncWrites: true))
        using (var table = Table.Open(db, new TableOptions { Prefix = "t", Cache = false }))
        {
            Assert.Equal([1UL, 2], table.Get("a"));
            Assert.Equal([7UL], table.Get("b"));
        }
    }

    private Db Open(bool syncWrites, long segmentSize = 1 << 20) =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = syncWrites, SegmentSize = segmentSize, FileSystem = files });
}
