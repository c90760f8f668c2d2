namespace Quasar.Storage.Segments;

/// <summary>
/// The clean-close record of the last segment's index (FORMAT.md, "Index header", state 2):
/// written last by a clean close, it lets the next open trust the segment's slots without the
/// scan and batch validation a crash needs (<see cref="CleanCloseRecord"/> decides; the slot
/// checksum it carries is verified lazily, as a sealed index's is), and it is replaced durably
/// before anything is appended after that open.
/// </summary>
internal sealed partial class SegmentIndex
{
    // Whether the clean-close record may still be the header on disk (writer only): set when it is
    // written or trusted, cleared once an active header has replaced it durably.
    private bool closedOnDisk;

    /// <summary>
    /// Makes an index opened by its clean-close record the active one without touching its
    /// header: its slots stay unverified until first use, and the record stays on disk until
    /// <see cref="RetireCleanClose"/> replaces it durably before the next append.
    /// </summary>
    /// <param name="repair">Rebuilds the index from the data when the slots fail the record's checksum.</param>
    public void ActivateClosed(Action repair)
    {
        Repair = repair;
        closedOnDisk = true;
    }

    /// <summary>
    /// Records, after the data of the first <paramref name="slotCount"/> slots was synced, that
    /// it is on disk: syncs the slots, then writes and syncs the header vouching for them - the
    /// clean-close record when <paramref name="closing"/>. An index still unverified since its
    /// open by a clean-close record was not appended to, so that record stays as it is.
    /// </summary>
    public void RecordSynced(long slotCount, long dataLength, ulong lastSequence, bool closing)
    {
        if (!verified)
        {
            return;
        }

        // Slots first, then the header vouching for them: else a power loss could pair it with stale slots.
        map.Sync();
        if (closing)
        {
            WriteHeader(new IndexFormat.Header(IndexFormat.StateClosed, header.BaseSequence, slotCount, SlotsChecksum(slotCount), dataLength, lastSequence));
            closedOnDisk = true;
        }
        else
        {
            MarkSynced(slotCount);
        }

        map.Sync();
    }

    /// <summary>
    /// Opens an index file read-only whatever its state, for the consistency checker to ask
    /// <see cref="CleanCloseRecord"/> what recovery would decide; null when it is shorter than
    /// its header or the header is invalid. Its slots are never verified or written.
    /// </summary>
    /// <exception cref="CorruptionException">The header names a format version this build does not read.</exception>
    public static SegmentIndex? TryOpenReadOnly(Files.IFileSystem fs, string path)
    {
        Files.IStorageFile file = fs.Open(path, FileMode.Open, writable: false);
        long length = LengthOrClose(file);
        if (length < IndexFormat.HeaderSize)
        {
            file.Dispose();
            return null;
        }

        return TryOpen(file, length, writable: false);
    }

    /// <summary>
    /// Before the first append after an open by the clean-close record: verifies the slots (a
    /// mismatch rebuilds the index), then replaces the record by an active header naming the same
    /// count and syncs it, so a power loss can never pair the record with data appended since.
    /// </summary>
    public void RetireCleanClose()
    {
        if (closedOnDisk)
        {
            EnsureVerified();
            MarkSynced(header.SlotCount);
            map.Sync();
            closedOnDisk = false;
        }
    }
}
