namespace Quasar.Storage.Segments;

/// <summary>
/// A reader's lease on one segment of a snapshot, taken with <c>using</c> and returned by
/// <see cref="Dispose"/> (a struct: no allocation per read). While it is held, the segment's files
/// stay open and its index mapped, even if a delete unlinks the segment meanwhile. A lease that
/// could not be taken says why: the segment was closed by a delete that published a newer snapshot
/// (<see cref="IsStale"/>: start over on that one), or by the log being disposed (nothing to read).
/// <see cref="SegmentLog"/> takes them; its "Concurrency" block states the protocol.
/// </summary>
internal readonly struct SegmentLease : IDisposable
{
    private readonly Segment? held;

    private SegmentLease(Segment? held, bool isStale)
    {
        this.held = held;
        IsStale = isStale;
    }

    /// <summary>Whether the lease is held (the segment may be read).</summary>
    public bool IsHeld => held is not null;

    /// <summary>Whether the segment was closed by a delete: the reader's snapshot is no longer the log's.</summary>
    public bool IsStale { get; }

    /// <summary>The leased segment (only when <see cref="IsHeld"/>).</summary>
    public Segment Segment => held!;

    /// <summary>A lease taken on <paramref name="segment"/>.</summary>
    public static SegmentLease Held(Segment segment) => new(segment, false);

    /// <summary>A lease refused because the segment is closed; <paramref name="isStale"/> when by a delete.</summary>
    public static SegmentLease Refused(bool isStale) => new(null, isStale);

    /// <summary>Returns the lease, if held; the last one closes the segment's files.</summary>
    public void Dispose() => held?.Release();
}
