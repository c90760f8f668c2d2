using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// What opening a sealed segment checks of its index against its data: the first slot names the
/// first entry, the last slot names an entry that verifies and ends exactly at the end of the
/// data file. Cheap (two slots, one entry read) because sealed segments are opened by the
/// hundred; the full slot checksum is verified lazily, on first read.
/// </summary>
internal static class SealedIndexCheck
{
    /// <summary>
    /// The last slot of a sealed index must pass its check and name the last entry of the data
    /// file, which must end exactly at the end of the file; otherwise the index is rebuilt.
    /// </summary>
    public static string? LastSlotAgainstData(IStorageFile data, SegmentIndex index, ulong baseSequence, long slots, out long dataLength, out ulong lastSequence)
    {
        dataLength = 0;
        lastSequence = 0;
        if (!index.TryGetSlot(slots - 1, out IndexFormat.Slot last) || !index.TryGetSlot(0, out IndexFormat.Slot first))
        {
            return "index slot damaged";
        }

        if (first.Offset != SegmentFormat.HeaderSize + SegmentFormat.BatchHeaderSize || first.Sequence != baseSequence)
        {
            return "first index slot does not match the data";
        }

        dataLength = data.Length;
        if (!TryReadEntryAt(data, last, dataLength, out long entryEnd) || entryEnd != dataLength)
        {
            return "last index slot does not match the data";
        }

        lastSequence = last.Sequence;
        return null;
    }

    /// <summary>
    /// Whether an intact sealed index lists entries past the end of the data: its last slot
    /// passes its check but its entry does not fit in the file. Sealed data was synced, so that is
    /// data lost at its end (storage review F14), which a rebuild from the data would turn into a
    /// silent gap in the ledger; the index, not the data, then says what the segment held.
    /// </summary>
    /// <param name="data">The segment's data file.</param>
    /// <param name="index">Its sealed index, whose slot checksum matched.</param>
    /// <param name="slots">The sealed slot count.</param>
    /// <param name="last">The last slot.</param>
    /// <param name="impliedEnd">Where the data would have to reach at least: past the last slot's entry header.</param>
    public static bool ListsMoreThanData(IStorageFile data, SegmentIndex index, long slots, out IndexFormat.Slot last, out long impliedEnd)
    {
        impliedEnd = 0;
        if (!index.TryGetSlot(slots - 1, out last))
        {
            return false;
        }

        long dataLength = data.Length;
        impliedEnd = last.Offset + SegmentFormat.EntryHeaderSize;
        if (impliedEnd > dataLength)
        {
            return true;
        }

        Span<byte> header = stackalloc byte[SegmentFormat.EntryHeaderSize];
        data.Read(header, last.Offset);
        SegmentFormat.EntryHeader entry = SegmentFormat.ReadEntryHeader(header);
        impliedEnd = Math.Max(impliedEnd, dataLength);
        return entry.Sequence == last.Sequence && impliedEnd - SegmentFormat.EntryHeaderSize - last.Offset < entry.PayloadLength;
    }

    /// <summary>Whether the entry <paramref name="slot"/> names is where it says and verifies; <paramref name="entryEnd"/> is where it ends.</summary>
    private static bool TryReadEntryAt(IStorageFile data, IndexFormat.Slot slot, long dataLength, out long entryEnd)
    {
        entryEnd = 0;
        if (slot.Offset + SegmentFormat.EntryHeaderSize > dataLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[SegmentFormat.EntryHeaderSize];
        data.Read(header, slot.Offset);
        SegmentFormat.EntryHeader entry = SegmentFormat.ReadEntryHeader(header);
        entryEnd = slot.Offset + SegmentFormat.EntryHeaderSize + entry.PayloadLength;
        if (entry.Sequence != slot.Sequence || entryEnd > dataLength)
        {
            return false;
        }

        using SpanOwner<byte> payload = SpanOwner<byte>.Allocate(entry.PayloadLength, AllocationMode.Clear);
        data.Read(payload.Span, slot.Offset + SegmentFormat.EntryHeaderSize);
        return SegmentFormat.EntryChecksum(entry.Sequence, payload.Span) == entry.Checksum;
    }
}
