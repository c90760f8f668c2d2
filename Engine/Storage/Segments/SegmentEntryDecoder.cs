using System.Runtime.CompilerServices;

namespace Quasar.Storage.Segments;

/// <summary>
/// Decodes the entries of a chunk that <see cref="Segment.ReadEntries"/> read, checking each
/// against its index slot and its checksum (the one place a read decides that data is wrong).
/// </summary>
internal static class SegmentEntryDecoder
{
    // Inlined into Segment.ReadEntries's fully optimised loop (measured there).
    /// <summary>Decodes and verifies the entry of slot <paramref name="slotIndex"/> at <paramref name="position"/> of a chunk of <paramref name="segment"/>'s data read at the slot range's start; the entry's payload is a slice of the chunk.</summary>
    /// <exception cref="CorruptionException">The slot points outside the chunk, or the entry does not match it or fails its checksum.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Entry Decode(Segment segment, byte[] buffer, int position, long slotIndex, IndexFormat.Slot slot)
    {
        if (position < 0 || position + SegmentFormat.EntryHeaderSize > buffer.Length)
        {
            throw new CorruptionException(segment.IndexPath, IndexFormat.HeaderSize + (slotIndex * IndexFormat.SlotSize), $"index slot for sequence {slot.Sequence} points outside its segment's data");
        }

        SegmentFormat.EntryHeader header = SegmentFormat.ReadEntryHeader(buffer.AsSpan(position));
        int payloadStart = position + SegmentFormat.EntryHeaderSize;
        if (header.Sequence != slot.Sequence || header.PayloadLength > buffer.Length - payloadStart)
        {
            throw new CorruptionException(segment.DataPath, slot.Offset, $"entry header does not match index slot for sequence {slot.Sequence}");
        }

        ReadOnlySpan<byte> payload = buffer.AsSpan(payloadStart, header.PayloadLength);
        if (SegmentFormat.EntryChecksum(header.Sequence, payload) != header.Checksum)
        {
            throw new CorruptionException(segment.DataPath, slot.Offset, $"entry checksum mismatch for sequence {slot.Sequence}");
        }

        return new Entry(header.Sequence, buffer.AsMemory(payloadStart, header.PayloadLength));
    }
}
