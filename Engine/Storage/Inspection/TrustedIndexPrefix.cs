using Quasar.Storage.Files;
using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// Where recovery starts validating the last segment (FORMAT.md, "Recovery on open"): nowhere
/// (the data's end) when it opens the segment by its clean-close record; else at the
/// last batch of the index's trusted prefix, the run of slots from slot 0 that pass their checks
/// with increasing sequences and offsets inside the data, no longer than the header's synced
/// count. Batches before that point are known to have been synced and are not read on open, so
/// a failure there is damage (a read of it throws), never a torn write. It reads the index file as
/// a stream where recovery reads the mapping; both walk by <see cref="IndexFormat.ExtendsTrustedPrefix"/>.
/// </summary>
internal static class TrustedIndexPrefix
{
    /// <summary>
    /// The data offset of the batch recovery would validate first in the last segment whose index
    /// is <paramref name="indexPath"/>, or the segment header's end when it would validate the
    /// whole file (index missing, invalid, of another base, or with no trusted slot).
    /// </summary>
    public static long ValidationStart(string indexPath, ulong baseSequence, long dataLength)
    {
        if (!File.Exists(indexPath))
        {
            return SegmentFormat.HeaderSize;
        }

        using var file = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> bytes = stackalloc byte[IndexFormat.HeaderSize];
        if (file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length
            || !TryReadHeader(bytes, indexPath, out IndexFormat.Header header)
            || header.BaseSequence != baseSequence)
        {
            return SegmentFormat.HeaderSize;
        }

        if (header.State == IndexFormat.StateClosed && OpensByCleanClose(indexPath, baseSequence))
        {
            return dataLength; // recovery validates nothing: the record vouches for every batch
        }

        long lastBatchOffset = SegmentFormat.HeaderSize;
        ulong previous = 0;
        long previousOffset = 0;
        Span<byte> slotBytes = stackalloc byte[IndexFormat.SlotSize];
        for (long i = 0; i < header.SlotCount; i++)
        {
            if (file.ReadAtLeast(slotBytes, slotBytes.Length, throwOnEndOfStream: false) < slotBytes.Length
                || !IndexFormat.TryReadSlot(slotBytes, out IndexFormat.Slot slot)
                || !IndexFormat.ExtendsTrustedPrefix(slot, i, previous, previousOffset, dataLength))
            {
                break;
            }

            if (slot.BatchStart)
            {
                lastBatchOffset = slot.Offset - SegmentFormat.BatchHeaderSize;
            }

            previous = slot.Sequence;
            previousOffset = slot.Offset;
        }

        return lastBatchOffset;
    }

    /// <summary>Whether recovery would open the segment by its index's clean-close record (the same <see cref="CleanCloseRecord"/> decision, on read-only files).</summary>
    private static bool OpensByCleanClose(string indexPath, ulong baseSequence)
    {
        using SegmentIndex? index = SegmentIndex.TryOpenReadOnly(PhysicalFileSystem.Instance, indexPath);
        if (index is null)
        {
            return false;
        }

        using IStorageFile data = PhysicalFileSystem.Instance.Open(Path.ChangeExtension(indexPath, Segment.DataExtension), FileMode.Open, writable: false);
        return CleanCloseRecord.TryTrust(data, index, baseSequence, out _, out _, out _);
    }

    /// <summary>The header, or false when it is invalid or names a version this build does not read (recovery then rebuilds or refuses; either way it validates nothing by the index).</summary>
    private static bool TryReadHeader(ReadOnlySpan<byte> bytes, string path, out IndexFormat.Header header)
    {
        try
        {
            return IndexFormat.TryReadHeader(bytes, path, out header);
        }
        catch (CorruptionException)
        {
            header = default;
            return false;
        }
    }
}
