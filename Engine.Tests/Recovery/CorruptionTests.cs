using System.Globalization;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Damage that a crash cannot explain (anything but a torn final batch) is reported with a
/// <see cref="CorruptionException"/> naming the file and offset, and never turns into wrong data.
/// </summary>
public sealed class CorruptionTests : IDisposable
{
    private const int BatchSize = 3;

    /// <summary>Two 3-entry batches per segment: 32 + 2 * 124 bytes.</summary>
    private const long TwoBatchSegments = SegmentHeaderSize + (2 * (BatchHeaderSize + (BatchSize * (EntryHeaderSize + 12))));

    private readonly TempDirectory temp = new();
    private readonly string db;

    public CorruptionTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    public static TheoryData<int> EntryHeaderBytes => new(Enumerable.Range(0, EntryHeaderSize));

    public static TheoryData<int> BatchHeaderBytes => new(Enumerable.Range(0, BatchHeaderSize));

    [Fact]
    public void A_damaged_payload_byte_makes_a_read_of_that_entry_throw_CorruptionException_naming_the_segment_and_the_entry_offset()
    {
        List<WrittenBatch> batches = WriteBatches(5, 64 * 1024);
        WrittenBatch damaged = batches[1];
        long entryOffset = damaged.EntryOffset(1);
        FlipByte(damaged.SegmentPath, entryOffset + EntryHeaderSize + 5);

        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(damaged.Entries[1].Sequence, 1));
        AssertNames(error, damaged.SegmentPath, entryOffset);
    }

    [Theory]
    [InlineData(1UL, 100)]
    [InlineData(4UL, 2)]
    [InlineData(5UL, 1)]
    [InlineData(2UL, 4)]
    [InlineData(0UL, 15)]
    public void Every_read_that_covers_a_damaged_entry_throws_CorruptionException(ulong from, int amount)
    {
        List<WrittenBatch> batches = WriteBatches(5, 64 * 1024);
        WrittenBatch damaged = batches[1];
        Assert.Equal(5UL, damaged.Entries[1].Sequence);
        FlipByte(damaged.SegmentPath, damaged.EntryOffset(1) + EntryHeaderSize);

        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(from, amount));
        AssertNames(error, damaged.SegmentPath, damaged.EntryOffset(1));
    }

    [Fact]
    public void Reads_that_do_not_cover_a_damaged_entry_return_the_right_entries()
    {
        List<WrittenBatch> batches = WriteBatches(5, 64 * 1024);
        Entry[] all = [.. batches.SelectMany(b => b.Entries)];
        WrittenBatch damaged = batches[1];
        FlipByte(damaged.SegmentPath, damaged.EntryOffset(1) + EntryHeaderSize + 11);

        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        Assert.Equal(15, open.Ledger.Length);
        Assert.Equal(15UL, open.Ledger.Head);
        TestEntries.AssertMatches(all[..4], open.Ledger.Read(1, 4));
        TestEntries.AssertMatches(all[5..], open.Ledger.Read(6, 100));
        TestEntries.AssertMatches(all[3..4], open.Ledger.Read(4, 1));
        TestEntries.AssertMatches(all[5..6], open.Ledger.Read(6, 1));
        for (int i = 0; i < all.Length; i++)
        {
            Assert.Equal((all[i].Sequence, true), open.Ledger.Index(i));
        }
    }

    [Theory]
    [MemberData(nameof(EntryHeaderBytes))]
    public void A_damaged_entry_header_byte_makes_a_read_of_that_entry_throw_CorruptionException_at_the_entry(int headerByte)
    {
        List<WrittenBatch> batches = WriteBatches(5, 64 * 1024);
        WrittenBatch damaged = batches[1];
        long entryOffset = damaged.EntryOffset(1);
        FlipByte(damaged.SegmentPath, entryOffset + headerByte);

        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(damaged.Entries[1].Sequence, 1));
        AssertNames(error, damaged.SegmentPath, entryOffset);
        Assert.Throws<CorruptionException>(() => open.Ledger.Read(1, 100));
        TestEntries.AssertMatches(batches[2].Entries, open.Ledger.Read(batches[2].First, BatchSize));
    }

    /// <summary>
    /// Reads locate entries through the index and verify each entry's own checksum, so a damaged
    /// batch header in the middle of the log is not on their path: what they must never do is
    /// return anything but the written entries.
    /// </summary>
    [Theory]
    [MemberData(nameof(BatchHeaderBytes))]
    public void A_damaged_batch_header_in_the_middle_of_the_log_never_turns_into_wrong_entries(int headerByte)
    {
        List<WrittenBatch> batches = WriteBatches(5, 64 * 1024);
        Entry[] all = [.. batches.SelectMany(b => b.Entries)];
        WrittenBatch damaged = batches[1];
        FlipByte(damaged.SegmentPath, damaged.Start + headerByte);

        OpenLedger open;
        try
        {
            open = OpenLedger.Open(db, 64 * 1024);
        }
        catch (CorruptionException error)
        {
            AssertWithin(error, damaged);
            return;
        }

        using (open)
        {
            Assert.Equal(all.Length, open.Ledger.Length);
            AssertReadsRightOrReports(open.Ledger, all, damaged.First, BatchSize, damaged);
            AssertReadsRightOrReports(open.Ledger, all, 1, 100, damaged);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_damaged_segment_header_byte_makes_Open_throw_CorruptionException_naming_the_segment(bool sealedSegment)
    {
        WriteBatches(5, TwoBatchSegments);
        string pristine = Path.Combine(temp.Path, "pristine");
        CopyDirectory(db, pristine);
        string work = Path.Combine(temp.Path, "work");
        string[] segments = Segments(pristine);
        Assert.Equal(3, segments.Length);
        string target = sealedSegment ? segments[0] : segments[^1];

        for (int headerByte = 0; headerByte < SegmentHeaderSize; headerByte++)
        {
            int at = headerByte;
            InContext($"segment header byte {at}", () =>
            {
                CopyDirectory(pristine, work);
                string damaged = Rebase(target, pristine, work);
                FlipByte(damaged, at);

                CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(work, TwoBatchSegments).Dispose());
                Assert.Equal(damaged, error.FilePath);
                Assert.InRange(error.Offset, 0, SegmentHeaderSize - 1);
                Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
            });
        }
    }

    [Theory]
    [InlineData("payload, last byte", -1)]
    [InlineData("entry header, sequence", 0)]
    [InlineData("entry header, length", 8)]
    [InlineData("entry header, checksum", 12)]
    public void A_sealed_segment_whose_last_entry_is_damaged_is_reported_not_served(string where, int position)
    {
        List<WrittenBatch> batches = WriteBatches(5, TwoBatchSegments);
        Entry[] all = [.. batches.SelectMany(b => b.Entries)];
        WrittenBatch last = batches[1];
        Assert.NotEqual(last.SegmentPath, batches[2].SegmentPath);
        Assert.Equal(new FileInfo(last.SegmentPath).Length, last.End);
        long offset = position < 0 ? last.End + position : last.EntryOffset(BatchSize - 1) + position;
        FlipByte(last.SegmentPath, offset);

        InContext($"damaged: {where}", () =>
        {
            OpenLedger open;
            try
            {
                open = OpenLedger.Open(db, TwoBatchSegments);
            }
            catch (CorruptionException error)
            {
                Assert.Equal(last.SegmentPath, error.FilePath);
                Assert.Contains(last.SegmentPath, error.Message, StringComparison.Ordinal);
                return;
            }

            using (open)
            {
                // Opening did not notice: then every read of the damaged entry must.
                CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(last.Last, 1));
                AssertNames(error, last.SegmentPath, last.EntryOffset(BatchSize - 1));
                Assert.Throws<CorruptionException>(() => open.Ledger.Read(1, 100));
                TestEntries.AssertMatches(all[6..], open.Ledger.Read(7, 100));
            }
        });
    }

    [Fact]
    public void A_damaged_entry_inside_a_sealed_segment_is_reported_when_read()
    {
        List<WrittenBatch> batches = WriteBatches(5, TwoBatchSegments);
        Entry[] all = [.. batches.SelectMany(b => b.Entries)];
        WrittenBatch damaged = batches[0];
        FlipByte(damaged.SegmentPath, damaged.EntryOffset(1) + EntryHeaderSize + 2);

        using OpenLedger open = OpenLedger.Open(db, TwoBatchSegments);
        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(1, 100));
        AssertNames(error, damaged.SegmentPath, damaged.EntryOffset(1));
        TestEntries.AssertMatches(all[2..], open.Ledger.Read(3, 100));
    }

    [Fact]
    public void A_sealed_segment_that_fails_validation_while_its_index_is_rebuilt_makes_Open_throw()
    {
        List<WrittenBatch> batches = WriteBatches(5, TwoBatchSegments);
        WrittenBatch damaged = batches[0];
        Assert.Equal(batches[1].SegmentPath, damaged.SegmentPath);
        FlipByte(damaged.SegmentPath, damaged.Start + 20);
        File.Delete(IndexOf(damaged.SegmentPath));

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, TwoBatchSegments).Dispose());
        Assert.Equal(damaged.SegmentPath, error.FilePath);
        Assert.InRange(error.Offset, damaged.Start, damaged.End - 1);
        Assert.Contains(damaged.SegmentPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_newest_tail_copy_falls_back_to_the_older_copy()
    {
        Entry[] all = WriteAndDeleteTwice();
        string tail = TailFile(db);
        Assert.Equal(TailSecondCopyOffset + TailCopySize, new FileInfo(tail).Length);
        string pristine = Path.Combine(temp.Path, "pristine");
        CopyDirectory(db, pristine);
        string work = Path.Combine(temp.Path, "work");

        for (int copyByte = 0; copyByte < TailCopySize; copyByte++)
        {
            int at = copyByte;
            InContext($"newest tail copy byte {at}", () =>
            {
                CopyDirectory(pristine, work);
                FlipByte(TailFile(work), TailSecondCopyOffset + at);

                using OpenLedger open = OpenLedger.Open(work, 64 * 1024);
                Assert.Equal(3UL, open.Ledger.Tail);
                Assert.Equal(12, open.Ledger.Length);
                TestEntries.AssertMatches(all[3..], open.Ledger.Read(1, 100));
            });
        }
    }

    [Fact]
    public void A_damaged_older_tail_copy_leaves_the_newest_value_in_force()
    {
        Entry[] all = WriteAndDeleteTwice();
        FlipByte(TailFile(db), 17);

        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        Assert.Equal(6UL, open.Ledger.Tail);
        TestEntries.AssertMatches(all[6..], open.Ledger.Read(1, 100));
    }

    [Fact]
    public void Both_tail_copies_damaged_make_Open_throw_CorruptionException_naming_the_tail_file()
    {
        WriteAndDeleteTwice();
        string tail = TailFile(db);
        FlipByte(tail, 17);
        FlipByte(tail, TailSecondCopyOffset + 17);

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, 64 * 1024).Dispose());
        Assert.Equal(tail, error.FilePath);
        Assert.Contains(tail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_only_tail_copy_damaged_makes_Open_throw_rather_than_bring_deleted_entries_back()
    {
        WriteBatches(5, 64 * 1024);
        using (OpenLedger open = OpenLedger.Open(db, 64 * 1024))
        {
            Assert.Equal(3L, open.Ledger.Delete(3));
        }

        string tail = TailFile(db);
        Assert.Equal(TailCopySize, new FileInfo(tail).Length);
        FlipByte(tail, 17);

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, 64 * 1024).Dispose());
        Assert.Equal(tail, error.FilePath);
    }

    private List<WrittenBatch> WriteBatches(int count, long segmentSize)
    {
        var batches = new List<WrittenBatch>();
        using OpenLedger open = OpenLedger.Open(db, segmentSize);
        for (int b = 0; b < count; b++)
        {
            batches.Add(WriteTracked(open.Ledger, db, Batch(1 + ((ulong)b * BatchSize), BatchSize)));
        }

        return batches;
    }

    /// <summary>15 entries; Delete(3) writes tail copy 1 (offset 0), Delete(6) copy 2 (offset 4096).</summary>
    private Entry[] WriteAndDeleteTwice()
    {
        Entry[] all = [.. WriteBatches(5, 64 * 1024).SelectMany(b => b.Entries)];
        using OpenLedger open = OpenLedger.Open(db, 64 * 1024);
        Assert.Equal(3L, open.Ledger.Delete(3));
        Assert.Equal(3L, open.Ledger.Delete(6));
        return all;
    }

    private static void AssertReadsRightOrReports(Ledger ledger, Entry[] all, ulong from, int amount, WrittenBatch damaged)
    {
        IReadOnlyList<Entry> read;
        try
        {
            read = ledger.Read(from, amount);
        }
        catch (CorruptionException error)
        {
            AssertWithin(error, damaged);
            return;
        }

        Entry[] expected = all.Where(e => e.Sequence >= from).Take(amount).ToArray();
        TestEntries.AssertMatches(expected, read);
    }

    private static void AssertWithin(CorruptionException error, WrittenBatch damaged)
    {
        Assert.Equal(damaged.SegmentPath, error.FilePath);
        Assert.InRange(error.Offset, damaged.Start, damaged.End - 1);
        Assert.Contains(error.Offset.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}
