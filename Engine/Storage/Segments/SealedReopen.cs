using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Opens the files of a sealed segment that recovery (or a roll) checked and that the
/// <see cref="SegmentCache"/> closed or never opened: the data file read-only with a read-only
/// mapping of its data, and the index mapped read-only. Nothing is validated again but the index
/// header (it must still describe the segment as the log knows it); the slot checksum is checked
/// on first use unless it was in this process already.
/// </summary>
internal static class SealedReopen
{
    /// <summary>Opens <paramref name="segment"/>'s files, holding the owner's lease (the cache's, once the caller adds the segment).</summary>
    /// <exception cref="IOException">A file could not be opened or mapped.</exception>
    /// <exception cref="CorruptionException">The index no longer describes the segment (replaced or damaged since the open).</exception>
    public static SegmentFiles Open(StoreContext context, Segment segment)
    {
        IFileSystem fs = context.FileSystem;
        IStorageFile data = fs.Open(segment.DataPath, FileMode.Open, writable: false);
        SegmentIndex? index = null;
        IMappedRegion? map = null;
        try
        {
            index = SegmentIndex.TryOpenSealed(fs, segment.IndexPath, segment.BaseSequence, out string? problem);
            if (index is null || index.Header.SlotCount != segment.Count)
            {
                throw new CorruptionException(segment.IndexPath, IndexFormat.HeaderSize, $"sealed index no longer matches its segment ({problem ?? $"slot count {index!.Header.SlotCount}, expected {segment.Count}"}); reopen the store to recover it");
            }

            if (segment.SlotsVerified)
            {
                index.MarkVerified();
            }
            else
            {
                index.Repair = () => SegmentRecovery.RebuildSealed(context, segment, data);
            }

            // A data file that lost its end (storage review F14) maps only what it still holds;
            // reads past it go to the file and report the loss.
            map = data.Map(Math.Min(data.Length, segment.DataLength), writable: false);
            return new SegmentFiles(data, index, map);
        }
        catch
        {
            map?.Dispose();
            index?.Dispose();
            data.Dispose();
            throw;
        }
    }
}
