namespace Quasar.Storage.Segments;

/// <summary>
/// A reader's lease on one segment of a snapshot and on its open files, taken with <c>using</c>
/// and returned by <see cref="Dispose"/> (a struct: no allocation per read). While it is held, the
/// segment's files stay open and its index mapped, even if a delete unlinks the segment or the
/// <see cref="SegmentCache"/> wants its descriptors back meanwhile. A lease that
/// could not be taken says why: the segment was closed by a delete that published a newer snapshot
/// (<see cref="IsStale"/>: start over on that one), or by the log being disposed (nothing to read).
/// <see cref="SegmentLog"/> takes them; its "Concurrency" block states the protocol.
/// </summary>
internal readonly struct SegmentLease : IDisposable
{
    private readonly Segment? held;
    private readonly SegmentFiles? files;

    private SegmentLease(Segment? held, SegmentFiles? files, bool isStale)
    {
        this.held = held;
        this.files = files;
        IsStale = isStale;
    }

    /// <summary>Whether the lease is held (the segment may be read).</summary>
    public bool IsHeld => held is not null;

    /// <summary>Whether the segment was closed by a delete: the reader's snapshot is no longer the log's.</summary>
    public bool IsStale { get; }

    /// <summary>The leased segment (only when <see cref="IsHeld"/>).</summary>
    public Segment Segment => held!;

    /// <summary>A lease taken on <paramref name="segment"/> and on its <paramref name="files"/>.</summary>
    public static SegmentLease Held(Segment segment, SegmentFiles files) => new(segment, files, false);

    /// <summary>A lease refused because the segment is closed; <paramref name="isStale"/> when by a delete.</summary>
    public static SegmentLease Refused(bool isStale) => new(null, null, isStale);

    /// <summary>Returns the lease, if held: the files' first, then the segment's (the last one closes the segment).</summary>
    public void Dispose()
    {
        if (held is not null)
        {
            held.ReleaseFiles(files!);
            held.Release();
        }
    }
}
