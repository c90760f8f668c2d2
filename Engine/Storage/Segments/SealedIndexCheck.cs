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
