using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// The first delete of a ledger writes the tail file's first copy; when that write is torn (an
/// I/O error halfway, or a crash), no copy is valid but none was ever acknowledged either, so the
/// ledger opens with tail 0 and recovery cuts the torn copy off. Found by the fault sweep: it used to refuse to open ("both copies of
/// the tail record are damaged") and the checker called it an error.
/// </summary>
public sealed class TornFirstTailWriteTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_torn_first_tail_write_leaves_a_ledger_that_opens_with_nothing_deleted()
    {
        using (Db db = Db.Open(temp.Path, new DbOptions { FileSystem = files }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 5));
            files.Inject(new FaultRule(FileFault.Write, "*/tail", effect: FaultEffect.Partial));
            Assert.Throws<IOException>(() => ledger.Delete(3));
            files.Heal();
        }

        StoreCheck.AssertNoErrors(temp.Path);
        using (Db db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal(0UL, ledger.Tail);
            TestEntries.AssertMatches(TestEntries.Range(1, 5), ledger.Read(0, 100));
        }

        StoreCheck.AssertClean(temp.Path);
        using (Db db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Delete(3);
        }

        using (Db db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal(3UL, ledger.Tail);
        }
    }

    [Fact]
    public void A_tail_file_whose_both_copies_were_written_and_are_damaged_still_refuses_to_open()
    {
        using (Db db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(TestEntries.Range(1, 5));
            ledger.Delete(1);
            ledger.Delete(2);
        }

        string tail = Path.Combine(temp.Path, "ledger-l", "tail");
        using (var stream = new FileStream(tail, FileMode.Open))
        {
            stream.Position = 8;
            stream.WriteByte(0xFF);
            stream.Position = 4096 + 8;
            stream.WriteByte(0xFF);
        }

        using Db reopened = Db.Open(temp.Path);
        Assert.Throws<CorruptionException>(() => Ledger.Open(reopened, new LedgerOptions { Prefix = "l" }));
    }
}
