using System.Buffers.Binary;
using Quasar.Storage.Segments;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The index is derived data: whatever happened to it - missing, short, garbled, or ahead of the
/// data - reopening rebuilds it from the segment and the ledger reads exactly as before.
/// </summary>
public sealed class IndexRebuildTests : IDisposable
{
    private const int BatchSize = 3;

    /// <summary>Two 3-entry batches (124 bytes each) per segment: ten batches make five segments.</summary>
    private const long SegmentSize = 300;

    private const int SlotsPerSegment = 2 * BatchSize;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public IndexRebuildTests() => db = Path.Combine(temp.Path, "db");

    public enum Damage
    {
        Deleted,
        TruncatedToZero,
        TruncatedInsideTheHeader,
        TruncatedToHalf,
        HeaderGarbled,
        SlotAreaGarbled,
        OneMiddleSlotGarbled,
        ExtraSlotsPastTheData,
    }

    public static TheoryData<Damage, bool> Cases()
    {
        var cases = new TheoryData<Damage, bool>();
        foreach (Damage damage in Enum.GetValues<Damage>())
        {
            // An intact sealed index listing more than the data holds is damage, not an index to
            // rebuild (storage review F14): SealedDataLossTests.
            if (damage != Damage.ExtraSlotsPastTheData)
            {
                cases.Add(damage, true);
            }

            cases.Add(damage, false);
        }

        return cases;
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reopening_with_a_damaged_index_reads_exactly_as_before(Damage damage, bool sealedSegment)
    {
        LedgerState before = WriteLedger();
        string[] segments = Segments(db);
        Assert.Equal(5, segments.Length);
        string segment = sealedSegment ? segments[1] : segments[^1];
        Apply(damage, IndexOf(segment), segment, sealedSegment);

        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            LedgerState.AssertSame(before, LedgerState.Capture(open.Ledger));
        }

        // The repaired index is sound on disk too, and the ledger keeps taking writes.
        Entry[] next = Batch(before.Head + 1, BatchSize);
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            LedgerState.AssertSame(before, LedgerState.Capture(open.Ledger));
            open.Ledger.Write(next);
        }

        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            LedgerState after = LedgerState.Capture(open.Ledger);
            Assert.Equal(before.Length + BatchSize, after.Length);
            Assert.Equal(next[^1].Sequence, after.Head);
            Assert.Equal([.. before.Entries, .. next.Select(e => (e.Sequence, TestEntries.Text(e)))], after.Entries);
        }
    }

    [Fact]
    public void An_index_ahead_of_the_last_segment_data_is_cut_back_to_the_complete_batches()
    {
        LedgerState before = WriteLedger();
        string last = Segments(db)[^1];
        long lastBatchStart = new FileInfo(last).Length - BatchLength(Batch(1, BatchSize));
        Truncate(last, lastBatchStart);

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);
        LedgerState after = LedgerState.Capture(open.Ledger);
        Assert.Equal(before.Length - BatchSize, after.Length);
        Assert.Equal(before.Head - BatchSize, after.Head);
        Assert.Equal(before.Tail, after.Tail);
        Assert.Equal(before.Entries[..^BatchSize], after.Entries);
        Assert.Equal((before.Head - BatchSize, true), open.Ledger.Index(-1));
        Assert.Equal((before.Head - BatchSize, false), open.Ledger.Index(after.Length));
    }

    [Fact]
    public void A_leftover_temporary_index_file_is_removed_on_open()
    {
        LedgerState before = WriteLedger();
        string leftover = IndexOf(Segments(db)[1]) + ".tmp";
        File.WriteAllBytes(leftover, new byte[100]);

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);
        Assert.False(File.Exists(leftover));
        LedgerState.AssertSame(before, LedgerState.Capture(open.Ledger));
    }

    /// <summary>
    /// A crash right after a segment was sealed, before the next one existed, leaves the last
    /// segment with a sealed index. Reopened with room to spare (a larger SegmentSize), the ledger
    /// appends to that segment again.
    /// </summary>
    [Fact]
    public void A_last_segment_left_sealed_by_a_crash_is_appended_to_again()
    {
        WriteLedger();
        string[] segments = Segments(db);
        File.Delete(segments[^1]);
        File.Delete(IndexOf(segments[^1]));
        string sealedLast = segments[^2];
        Assert.Equal(IndexHeaderSize + (SlotsPerSegment * IndexSlotSize), new FileInfo(IndexOf(sealedLast)).Length);

        LedgerState before;
        Entry[] next;
        using (OpenLedger open = OpenLedger.Open(db, 64 * 1024))
        {
            before = LedgerState.Capture(open.Ledger);
            Assert.Equal(24UL, before.Head);
            Assert.Equal(20, before.Length);
            next = Batch(before.Head + 1, BatchSize);
            open.Ledger.Write(next);
        }

        Assert.Equal(segments[..^1], Segments(db));
        using (OpenLedger open = OpenLedger.Open(db, 64 * 1024))
        {
            LedgerState after = LedgerState.Capture(open.Ledger);
            Assert.Equal(before.Length + BatchSize, after.Length);
            Assert.Equal([.. before.Entries, .. next.Select(e => (e.Sequence, TestEntries.Text(e)))], after.Entries);
        }
    }

    /// <summary>Ten 3-entry batches in five segments, then Delete(4): Tail 4, Length 26.</summary>
    private LedgerState WriteLedger()
    {
        using OpenLedger open = OpenLedger.Open(db, SegmentSize);
        for (int b = 0; b < 10; b++)
        {
            open.Ledger.Write(Batch(1 + ((ulong)b * BatchSize), BatchSize));
        }

        Assert.Equal(4L, open.Ledger.Delete(4));
        LedgerState state = LedgerState.Capture(open.Ledger);
        Assert.Equal(26, state.Length);
        return state;
    }

    private static void Apply(Damage damage, string index, string segment, bool sealedSegment)
    {
        long length = new FileInfo(index).Length;
        const long slots = SlotsPerSegment;
        var random = new Random((int)damage);
        switch (damage)
        {
            case Damage.Deleted:
                File.Delete(index);
                break;
            case Damage.TruncatedToZero:
                Truncate(index, 0);
                break;
            case Damage.TruncatedInsideTheHeader:
                Truncate(index, IndexHeaderSize / 2);
                break;
            case Damage.TruncatedToHalf:
                Truncate(index, IndexHeaderSize + (IndexSlotSize * (slots / 2)));
                break;
            case Damage.HeaderGarbled:
                Overwrite(index, 0, RandomBytes(random, IndexHeaderSize));
                break;
            case Damage.SlotAreaGarbled:
                Overwrite(index, IndexHeaderSize, RandomBytes(random, (int)(length - IndexHeaderSize)));
                break;
            case Damage.OneMiddleSlotGarbled:
                Overwrite(index, IndexHeaderSize + (IndexSlotSize * (slots / 2)), RandomBytes(random, IndexSlotSize));
                break;
            case Damage.ExtraSlotsPastTheData:
                AppendValidLookingSlots(index, segment, sealedSegment, usedSlots: SlotsPerSegment);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    /// <summary>
    /// Makes the index claim three more entries than the segment holds, with slots that pass their
    /// checks and point past the end of the data: for a sealed index the header's slot count and
    /// checksums are updated to match, as if an index from a longer run had been copied in.
    /// </summary>
    private static void AppendValidLookingSlots(string index, string segment, bool sealedSegment, int usedSlots)
    {
        byte[] bytes = File.ReadAllBytes(index);
        long dataLength = new FileInfo(segment).Length;
        long usedEnd = IndexHeaderSize + (IndexSlotSize * usedSlots);
        ulong lastSequence = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)usedEnd - IndexSlotSize));
        Assert.NotEqual(0UL, lastSequence);

        byte[] extended = new byte[Math.Max(bytes.Length, usedEnd + (3 * IndexSlotSize))];
        bytes.CopyTo(extended, 0);
        for (int i = 0; i < 3; i++)
        {
            var slot = new IndexFormat.Slot(lastSequence + 1 + (ulong)i, dataLength + BatchHeaderSize + (i * 28), i == 0);
            IndexFormat.WriteSlot(extended.AsSpan((int)usedEnd + (i * IndexSlotSize), IndexSlotSize), slot);
        }

        if (sealedSegment)
        {
            Assert.Equal((ulong)usedSlots, BinaryPrimitives.ReadUInt64LittleEndian(extended.AsSpan(24)));
            int slotBytes = IndexSlotSize * (usedSlots + 3);
            BinaryPrimitives.WriteUInt64LittleEndian(extended.AsSpan(24), (ulong)(usedSlots + 3));
            BinaryPrimitives.WriteUInt32LittleEndian(extended.AsSpan(32), Crc32C(extended.AsSpan(IndexHeaderSize, slotBytes)));
            BinaryPrimitives.WriteUInt32LittleEndian(extended.AsSpan(60), Crc32C(extended.AsSpan(0, 60)));
            extended = extended[..(IndexHeaderSize + slotBytes)];
        }

        File.WriteAllBytes(index, extended);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
