using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>What the checker and the inspector report on a store that was closed cleanly.</summary>
public sealed class CleanStoreTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_clean_store_with_many_segments_tables_and_deletes_checks_clean()
    {
        InspectedStore.Build(temp.Path);
        Assert.True(InspectedStore.Segments(temp.Path).Length > 5);

        Assert.Empty(InspectedStore.Check(temp.Path));
    }

    [Fact]
    public void An_empty_directory_checks_clean_and_has_no_stores()
    {
        DbInspector inspector = DbInspector.Open(temp.Path);

        Assert.Empty(inspector.Stores);
        Assert.Empty(InspectedStore.Check(temp.Path));
    }

    [Fact]
    public void The_stores_are_listed_with_their_prefix_kind_and_directory()
    {
        using (var db = Db.Open(temp.Path))
        using (var queue = Queue.Open(db, new QueueOptions { Prefix = "Orders" }))
        {
        }

        DbInspector inspector = DbInspector.Open(temp.Path);

        Assert.Equal(
            [
                new StoreInfo("Orders:l", StoreKind.Ledger, Path.Combine(temp.Path, "ledger-^orders+l")),
                new StoreInfo("Orders:t", StoreKind.Table, Path.Combine(temp.Path, "table-^orders+t")),
            ],
            inspector.Stores);
    }

    [Fact]
    public void The_tail_record_and_the_table_read_as_the_engine_reads_them()
    {
        InspectedStore.Build(temp.Path);
        DbInspector inspector = DbInspector.Open(temp.Path);

        TailInfo tail = inspector.ReadTail(InspectedStore.Store(inspector, InspectedStore.Ledger));
        TableInfo table = inspector.ReadTable(InspectedStore.Store(inspector, InspectedStore.Table));

        Assert.Equal((InspectedStore.DeletedUpTo, 1UL, 1), (tail.Tail, tail.Generation, tail.ValidCopies));
        Assert.Equal(["alpha", "beta"], table.Positions.Keys);
        Assert.Equal([7UL], table.Positions["alpha"]);
        Assert.Equal([40UL], table.Positions["beta"]);
    }

    [Fact]
    public void The_segments_match_what_the_ledger_holds()
    {
        InspectedStore.Build(temp.Path);
        DbInspector inspector = DbInspector.Open(temp.Path);

        SegmentInfo[] segments = [.. inspector.ReadSegments(InspectedStore.Store(inspector, InspectedStore.Ledger))];

        using var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = InspectedStore.Ledger });
        Assert.Equal(InspectedStore.Segments(temp.Path), segments.Select(s => s.DataPath));
        Assert.Equal(ledger.Head, segments[^1].LastSequence);
        List<ulong[]> batches = InspectedStore.BatchSequences();
        Assert.Equal(batches.Count(b => b[0] >= segments[0].FirstSequence), segments.Sum(s => s.BatchCount));
        ulong[] written = [.. batches.SelectMany(b => b)];
        Assert.Equal(written.Count(s => s >= segments[0].FirstSequence), segments.Sum(s => s.EntryCount));
        Assert.Equal(ledger.Length, written.Count(s => s > ledger.Tail));
        Assert.All(segments, s => Assert.Equal(s.BaseSequence, s.FirstSequence));
        Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.True(pair.First.LastSequence < pair.Second.FirstSequence));
        Assert.All(segments, s => Assert.Equal(new FileInfo(s.DataPath).Length, s.DataLength));
        Assert.All(segments[..^1], s => Assert.Equal((IndexState.Sealed, s.EntryCount, false), (s.Index.State, s.Index.SlotCount, s.Index.IsShort)));
        Assert.Equal(IndexState.Active, segments[^1].Index.State);
    }

    [Fact]
    public void Streaming_entries_returns_exactly_what_the_ledger_reads()
    {
        InspectedStore.Build(temp.Path);
        DbInspector inspector = DbInspector.Open(temp.Path);
        StoreInfo store = InspectedStore.Store(inspector, InspectedStore.Ledger);

        using var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = InspectedStore.Ledger });
        foreach ((ulong from, int count) in new[] { (0UL, 1000), (1UL, 5), (45UL, 17), (ledger.Head, 3), (ledger.Head + 1, 3) })
        {
            Entry[] streamed = [.. inspector.ReadEntries(store, from, count)];
            TestEntries.AssertMatches(ledger.Read(from, count), streamed);
        }
    }
}
