using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// The open files of one segment: its data file, its mapped index and, for a sealed segment, a
/// read-only mapping of its data (point reads copy from it without a system call). A sealed
/// segment's files are opened on demand and closed when the <see cref="SegmentCache"/> evicts
/// them; the active segment's stay open for its lifetime.
/// </summary>
/// <remarks>
/// Protocol. <c>leases</c> (a <see cref="LeaseCount"/>) starts at one: the owner's lease (the
/// cache's for a sealed segment, the segment's own while it is active). Every reader takes one for
/// the time it touches the files. Eviction retires the files only when the owner's lease is the
/// only one (<see cref="TryRetire"/>, one to zero), so files are never closed under a reader, and a
/// retired handle can never be leased again: the reader that finds it so opens a fresh one.
/// <c>referenced</c> is the CLOCK bit: set by every lease, cleared by the cache's sweep; a plain
/// racy flag, because a lost update only changes which idle segment is evicted first.
/// </remarks>
internal sealed unsafe class SegmentFiles
{
    private readonly IMappedRegion? dataMap;
    private LeaseCount leases = new(1);
    private volatile bool referenced = true;

    /// <summary>Takes ownership of <paramref name="data"/>, <paramref name="index"/> and <paramref name="dataMap"/> (closed together).</summary>
    public SegmentFiles(IStorageFile data, SegmentIndex index, IMappedRegion? dataMap)
    {
        Data = data;
        Index = index;
        this.dataMap = dataMap;
    }

    /// <summary>The data file.</summary>
    public IStorageFile Data { get; }

    /// <summary>The index.</summary>
    public SegmentIndex Index { get; }

    /// <summary>The number of data bytes readable through the mapping (0 without one).</summary>
    public long MappedLength => dataMap?.Capacity ?? 0;

    /// <summary>The first mapped data byte (only when <see cref="MappedLength"/> is above 0).</summary>
    public byte* MappedData => dataMap!.Pointer;

    /// <summary>Takes a reader's lease; false when the files were retired (closed).</summary>
    public bool TryAcquire()
    {
        if (!leases.TryAcquire())
        {
            return false;
        }

        if (!referenced)
        {
            referenced = true;
        }

        return true;
    }

    /// <summary>Returns a lease; the last one closes the files.</summary>
    public void Release()
    {
        if (leases.Release())
        {
            Close();
        }
    }

    /// <summary>The CLOCK sweep's visit: true when the files were used since the last visit (the bit is cleared).</summary>
    public bool TakeReferenced()
    {
        bool was = referenced;
        referenced = false;
        return was;
    }

    /// <summary>Closes the files when only the owner's lease is left; false when a reader holds them.</summary>
    public bool TryRetire()
    {
        if (!leases.TryRetire())
        {
            return false;
        }

        Close();
        return true;
    }

    private void Close()
    {
        try
        {
            dataMap?.Dispose();
            Index.Dispose();
        }
        finally
        {
            Data.Dispose();
        }
    }
}
