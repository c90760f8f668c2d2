namespace Quasar.Storage.Segments;

/// <summary>
/// The lifetime of a segment and of its open files: the leases of the log and of readers on the
/// segment, and the opening on demand and closing by the <see cref="SegmentCache"/> of its files
/// (the protocol is stated on the other part of <see cref="Segment"/>).
/// </summary>
internal sealed partial class Segment
{
    private readonly object openLock = new();
    private volatile SegmentFiles? files;
    private volatile bool slotsVerified;
    private LeaseCount leases = new(1);
    private volatile bool unlinked;

    /// <summary>Whether a delete took the segment out of the log and unlinks (or unlinked) its files.</summary>
    public bool IsUnlinked => unlinked;

    /// <summary>Records, before the files are unlinked, that a delete passed the segment (a reader that then cannot open them starts over).</summary>
    public void MarkUnlinked() => unlinked = true;

    /// <summary>Takes a lease; false when the segment is already closed.</summary>
    public bool TryAcquire() => leases.TryAcquire();

    /// <summary>Returns a lease; the last one closes the files (taking them out of the cache).</summary>
    public void Release()
    {
        if (leases.Release() && !context.SegmentCache.Remove(this))
        {
            Interlocked.Exchange(ref files, null)?.Release();
        }
    }

    /// <summary>
    /// Takes a lease on the segment's files, opening them when they are closed (a sealed segment
    /// evicted or not yet read); the caller holds a lease on the segment and returns this one with
    /// <see cref="ReleaseFiles"/>.
    /// </summary>
    /// <exception cref="IOException">The files could not be opened.</exception>
    /// <exception cref="CorruptionException">They no longer match what the ledger was opened with.</exception>
    public SegmentFiles AcquireFiles()
    {
        SegmentFiles? current = files;
        if (current is not null && current.TryAcquire())
        {
            return current;
        }

        lock (openLock)
        {
            current = files;
            if (current is not null && current.TryAcquire())
            {
                return current;
            }

            SegmentFiles opened = SealedReopen.Open(context, this);
            opened.TryAcquire(); // the reader's lease; the first one is the cache's
            files = opened;
            context.SegmentCache.Add(this);
            return opened;
        }
    }

    /// <summary>Returns a lease taken with <see cref="AcquireFiles"/>, then lets the cache close what it keeps beyond its bound.</summary>
    public void ReleaseFiles(SegmentFiles held)
    {
        held.Release();
        context.SegmentCache.TrimIfOver();
    }

    /// <summary>The cache's eviction (under its lock): closes the files unless a reader holds them or they were used since the last sweep.</summary>
    public bool TryEvictFiles()
    {
        SegmentFiles? current = files;
        if (current is null)
        {
            return true;
        }

        bool verified = current.Index.IsVerified;
        if (current.TakeReferenced() || !current.TryRetire())
        {
            return false;
        }

        if (verified)
        {
            slotsVerified = true;
        }

        Interlocked.CompareExchange(ref files, null, current);
        return true;
    }

    /// <summary>The cache's removal of a closing segment (under its lock): returns the cache's lease on the files, closing them.</summary>
    public void ReleaseCachedFiles() => Interlocked.Exchange(ref files, null)?.Release();
}
