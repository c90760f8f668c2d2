using System.Globalization;
using System.Text;
using Quasar.Storage;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Every file kind of a small store, cut at every offset (the deterministic half of the
/// corruption fuzzing; Engine.PropertyTests/Fuzzing has the random half): each cut gives exactly
/// what FORMAT.md's recovery rules say, or <see cref="CorruptionException"/> naming the file.
/// The store: a ledger written with SyncWrites in 300-byte segments (two 3-entry batches of 124
/// bytes each), three segments, two deletes inside the first (both tail copies written), and a
/// table of a few records.
/// </summary>
public sealed class TruncationAtEveryOffsetTests : IDisposable
{
    private const long SegmentSize = 300;
    private const long BatchBytes = BatchHeaderSize + (3 * (EntryHeaderSize + 12));
    private const string TablePrefix = "positions";

    private static readonly (string Name, ulong[] Positions)[] TableRecords =
        [("alpha", [1, 2, 3]), ("beta", [7]), ("alpha", [4]), ("gamma", [9, 10]), ("beta", [8, 11])];

    private readonly TempDirectory temp = new();
    private readonly string baseStore;
    private readonly string copy;

    public TruncationAtEveryOffsetTests()
    {
        baseStore = Path.Combine(temp.Path, "base");
        copy = Path.Combine(temp.Path, "copy");
        using Db db = Db.Open(baseStore, new DbOptions { SegmentSize = SegmentSize, SyncWrites = true });
        using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix }))
        {
            for (ulong first = 1; first <= 16; first += 3)
            {
                ledger.Write(Batch(first, 3));
            }

            ledger.Delete(1);
            ledger.Delete(2);
        }

        using Table table = Table.Open(db, new TableOptions { Prefix = TablePrefix });
        foreach ((string name, ulong[] positions) in TableRecords)
        {
            table.Set(name, positions);
        }
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_active_segment_cut_anywhere_keeps_exactly_the_batches_that_end_before_the_cut()
    {
        string segment = Rebase(Segments(baseStore)[^1], baseStore, copy);
        Assert.Equal(SegmentHeaderSize + (2 * BatchBytes), Length(Segments(baseStore)[^1]));
        ForEveryCut(segment, cut =>
        {
            // A cut final batch is a torn write (nothing durable follows it): a warning, not an error.
            StoreCheck.AssertNoErrors(copy, $"cut at {cut}");
            int keptBatches = cut < SegmentHeaderSize ? 0 : (int)((cut - SegmentHeaderSize) / BatchBytes);
            AssertLedgerHolds(10 + (3 * keptBatches));
        });
    }

    [Fact]
    public void A_sealed_segment_cut_anywhere_is_reported_as_corruption_naming_it()
    {
        string segment = Rebase(Segments(baseStore)[1], baseStore, copy);
        long length = Length(Segments(baseStore)[1]);
        ForEveryCut(segment, cut =>
        {
            if (cut == length)
            {
                AssertLedgerHolds(16);
                return;
            }

            Assert.Contains(StoreCheck.Problems(copy), p => p.Severity == ProblemSeverity.Error);
            try
            {
                AssertLedgerHolds(16);
                Assert.Fail($"a sealed segment cut at {cut} opened and read without error");
            }
            catch (CorruptionException error) when (error.FilePath == segment)
            {
                // The offset is where the damage shows: inside what is left, or, for an entry the
                // intact sealed index lists past the cut (storage review F14), where that entry was.
                Assert.True(error.Offset >= 0 && error.Offset < length, $"cut at {cut}: offset {error.Offset}");
            }
        });
    }

    [Fact]
    public void A_sealed_index_cut_anywhere_is_rebuilt_and_the_ledger_reads_exactly_as_before()
    {
        string index = IndexOf(Rebase(Segments(baseStore)[1], baseStore, copy));
        ForEveryCut(index, cut => AssertLedgerHolds(16));
    }

    [Fact]
    public void The_active_index_cut_anywhere_is_repaired_and_the_ledger_reads_exactly_as_before()
    {
        string index = IndexOf(Rebase(Segments(baseStore)[^1], baseStore, copy));
        ForEveryCut(index, cut => AssertLedgerHolds(16), denseUpTo: IndexHeaderSize + (8 * IndexSlotSize));
    }

    [Fact]
    public void The_tail_file_cut_anywhere_falls_back_to_the_intact_copy_or_to_no_tail_record()
    {
        string tail = Rebase(TailFile(baseStore), baseStore, copy);
        Assert.Equal(TailSecondCopyOffset + TailCopySize, Length(TailFile(baseStore)));
        ForEveryCut(
            tail,
            cut =>
            {
                // Shorter than one copy, with no second copy: no tail record ever reached the disk
                // as far as the file can tell (a torn first write), so Tail 0; only the first copy: generation 1.
                ulong expectedTail = cut < TailCopySize ? 0 : cut < TailSecondCopyOffset + TailCopySize ? 1UL : 2UL;
                AssertLedgerHolds(18 - (int)expectedTail, expectedTail);
            },
            denseUpTo: 2 * TailCopySize,
            denseFrom: TailSecondCopyOffset - TailCopySize);
    }

    [Fact]
    public void The_table_file_cut_anywhere_keeps_exactly_the_records_that_end_before_the_cut()
    {
        string file = Path.Combine(copy, "table-" + TablePrefix, "table.log");
        long[] ends = [.. TableRecords.Select(r => TableFile.SetRecordLength(r.Name, r.Positions.Length))
            .Aggregate(new List<long> { TableFile.HeaderSize }, (list, length) => { list.Add(list[^1] + length); return list; })];
        Assert.Equal(ends[^1], Length(Rebase(file, copy, baseStore)));
        ForEveryCut(file, cut =>
        {
            int kept = ends.Count(end => end <= cut) - 1;
            var expected = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
            foreach ((string name, ulong[] positions) in TableRecords.Take(Math.Max(kept, 0)))
            {
                expected[name] = positions;
            }

            using Db db = Db.Open(copy, new DbOptions { SegmentSize = SegmentSize });
            using Table table = Table.Open(db, new TableOptions { Prefix = TablePrefix });
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), table.All().OrderBy(p => p.Key, StringComparer.Ordinal));
        });
    }

    [Fact]
    public void The_lock_file_cut_anywhere_changes_nothing()
    {
        string lockFile = Path.Combine(copy, "LOCK");
        ForEveryCut(lockFile, cut => AssertLedgerHolds(16));
    }

    private static long Length(string path) => new FileInfo(path).Length;

    /// <summary>
    /// Copies the base store, cuts <paramref name="file"/> (in the copy) at each offset from 0 to
    /// its length, and runs <paramref name="check"/>: every offset below
    /// <paramref name="denseUpTo"/> and from <paramref name="denseFrom"/> on, every 61st between
    /// (large, mostly-zero files only).
    /// </summary>
    private void ForEveryCut(string file, Action<long> check, long denseUpTo = long.MaxValue, long denseFrom = long.MaxValue)
    {
        long length = Length(Rebase(file, copy, baseStore));
        for (long cut = 0; cut <= length; cut++)
        {
            if (cut >= denseUpTo && cut < denseFrom && (cut - denseUpTo) % 61 != 0 && cut != length)
            {
                continue;
            }

            CopyDirectory(baseStore, copy);
            Truncate(file, cut);
            InContext($"{Path.GetFileName(file)} cut at {cut.ToString(CultureInfo.InvariantCulture)} of {length}", () => check(cut));
        }
    }

    /// <summary>Opens the copy and checks that the ledger holds exactly the <paramref name="entries"/> entries after <paramref name="tail"/> (sequences are 1..18), with their payloads.</summary>
    private void AssertLedgerHolds(int entries, ulong tail = 2)
    {
        using OpenLedger open = OpenLedger.Open(copy, SegmentSize);
        ulong[] expected = [.. Enumerable.Range((int)tail + 1, entries).Select(i => (ulong)i)];
        IReadOnlyList<Entry> read = open.Ledger.Read(1, 100);
        Assert.Equal(tail, open.Ledger.Tail);
        Assert.Equal(expected, read.Select(e => e.Sequence));
        Assert.All(read, e => Assert.Equal(Encoding.ASCII.GetString(Entry(e.Sequence).Payload.Span), Encoding.ASCII.GetString(e.Payload.Span)));
        Assert.Equal(expected.Length, open.Ledger.Length);
        Assert.Equal(expected.Length == 0 ? tail : expected[^1], open.Ledger.Head);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal((expected[i], true), open.Ledger.Index(i));
        }
    }
}
