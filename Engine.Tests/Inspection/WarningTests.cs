using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>States that are not damage: a torn tail recovery truncates, and a consumer left behind by threshold cleaning.</summary>
public sealed class WarningTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_torn_batch_at_the_end_of_the_last_segment_is_a_warning_that_recovery_truncates_it()
    {
        InspectedStore.Build(temp.Path);
        string last = InspectedStore.Segments(temp.Path)[^1];
        long length = new FileInfo(last).Length;
        byte[] start = File.ReadAllBytes(last).AsSpan(32, 50).ToArray(); // the first 50 bytes of its first batch: a cut-off record
        using (var file = new FileStream(last, FileMode.Append))
        {
            file.Write(start);
        }

        List<CheckProblem> problems = InspectedStore.Check(temp.Path);

        CheckProblem torn = Assert.Single(problems);
        Assert.Equal((ProblemSeverity.Warning, last, length), (torn.Severity, torn.FilePath, torn.Offset));
        Assert.Contains($"recovery truncates the file to {length} bytes", torn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_recovery_truncated_a_torn_tail_the_store_checks_clean()
    {
        InspectedStore.Build(temp.Path);
        string last = InspectedStore.Segments(temp.Path)[^1];
        using (var file = new FileStream(last, FileMode.Append))
        {
            file.Write("QSB1 torn"u8);
        }

        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = InspectedStore.Ledger }))
        {
        }

        Assert.Empty(InspectedStore.Check(temp.Path));
    }

    [Fact]
    public void A_stored_consumer_position_below_its_ledgers_tail_is_a_warning_at_its_record()
    {
        using (var db = Db.Open(temp.Path))
        using (var queue = Queue.Open(db, new QueueOptions { Prefix = "jobs" }))
        {
            queue.Ledger.Write([.. Enumerable.Range(1, 10).Select(i => InspectedStore.Entry((ulong)i))]);
            queue.Table.Set("slow", 3);
            queue.Table.Set("fast", 8);
            queue.Ledger.Delete(6);
        }

        List<CheckProblem> problems = InspectedStore.Check(temp.Path);

        CheckProblem behind = Assert.Single(problems);
        Assert.Equal((ProblemSeverity.Warning, Path.Combine(temp.Path, "table-jobs+t", "table.log"), 32L), (behind.Severity, behind.FilePath, behind.Offset));
        Assert.Contains("'slow'", behind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_tail_copy_beside_a_valid_one_is_a_warning_naming_the_copy_recovery_uses()
    {
        InspectedStore.Build(temp.Path);
        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = InspectedStore.Ledger }))
        {
            ledger.Delete(InspectedStore.DeletedUpTo + 5); // generation 2, at offset 4096
        }

        string tail = Path.Combine(InspectedStore.LedgerDirectory(temp.Path), "tail");
        InspectedStore.Flip(tail, 4096 + 17);

        CheckProblem damaged = Assert.Single(InspectedStore.Check(temp.Path));
        Assert.Equal((ProblemSeverity.Warning, tail, 4096L), (damaged.Severity, damaged.FilePath, damaged.Offset));
        Assert.Contains($"generation 1, tail {InspectedStore.DeletedUpTo}", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritten_slot_of_the_last_batch_of_the_last_segment_is_a_warning()
    {
        InspectedStore.Build(temp.Path);
        string index = Path.ChangeExtension(InspectedStore.Segments(temp.Path)[^1], ".idx");
        long lastSlot = 64 + (16 * (LastSegmentEntries() - 1));
        using (var file = new FileStream(index, FileMode.Open, FileAccess.Write))
        {
            file.Position = lastSlot;
            file.Write(new byte[16]);
        }

        CheckProblem unwritten = Assert.Single(InspectedStore.Check(temp.Path));
        Assert.Equal((ProblemSeverity.Warning, index, lastSlot), (unwritten.Severity, unwritten.FilePath, unwritten.Offset));
    }

    [Fact]
    public void A_segment_left_behind_by_an_interrupted_delete_is_a_warning()
    {
        InspectedStore.Build(temp.Path);
        string first = InspectedStore.Segments(temp.Path)[0];
        byte[] data = File.ReadAllBytes(first);
        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = InspectedStore.Ledger }))
        {
            ledger.Delete(ledger.Index(0).Sequence + 20);
        }

        Assert.False(File.Exists(first));
        File.WriteAllBytes(first, data); // the data file is unlinked after its index: a crash in between leaves it

        List<CheckProblem> problems = InspectedStore.Check(temp.Path);

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Contains(problems, p => p.FilePath == first && p.Message.Contains("recovery unlinks it", StringComparison.Ordinal));
    }

    private int LastSegmentEntries()
    {
        DbInspector inspector = DbInspector.Open(temp.Path);
        return (int)inspector.ReadSegments(InspectedStore.Store(inspector, InspectedStore.Ledger)).Last().EntryCount;
    }
}
