using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Decides whether the last segment may be opened by its index's clean-close record (FORMAT.md,
/// "Recovery on open") instead of the slot scan and batch validation a crash needs. The record is
/// written only after the data and the slots are synced, and replaced durably before the next
/// append, so when it names the data file's exact length it describes the whole segment.
/// </summary>
internal static class CleanCloseRecord
{
    /// <summary>
    /// Whether the index header is a clean-close record that agrees with the data: its count fits
    /// the index with an empty slot after it, it names the data file's length, and its first and
    /// last slots name the data's first and last entries (the last verified, ending at the end of
    /// the file) with the last sequence it records. Anything else gets full recovery.
    /// </summary>
    public static bool TryTrust(IStorageFile data, SegmentIndex index, ulong baseSequence, out long count, out long dataLength, out ulong lastSequence)
    {
        IndexFormat.Header header = index.Header;
        count = header.SlotCount;
        dataLength = 0;
        lastSequence = 0;
        return header.State == IndexFormat.StateClosed
            && count >= 1 && count <= index.SlotCapacity
            && (count == index.SlotCapacity || index.IsSlotEmpty(count))
            && SealedIndexCheck.LastSlotAgainstData(data, index, baseSequence, count, out dataLength, out lastSequence) is null
            && dataLength == header.DataLength
            && lastSequence == header.LastSequence;
    }
}
