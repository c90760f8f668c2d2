using Microsoft.Extensions.Logging.Abstractions;
using Quasar.Storage;
using Quasar.Storage.Files;
using Quasar.Storage.Segments;
using Quasar.Tests.Support;

namespace Quasar.Tests.SegmentLogs;

/// <summary>
/// The segment snapshot's arithmetic: global slots run on across segments, a roll numbers the new
/// segment after the last one's entries, a delete moves the first live slot and leaves out the
/// dead prefix (never the last segment), and positions map to segments through the first live slot.
/// </summary>
public sealed class SegmentSetTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly List<Segment> segments = [];

    [Fact]
    public void Opened_numbers_global_slots_from_zero_across_segments()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3), SegmentWith(4, 5)]);

        Assert.Equal([0L, 3L], [set.FirstGlobal(0), set.FirstGlobal(1)]);
        Assert.Equal(5, set.End);
        Assert.Equal(5, set.Length);
    }

    [Fact]
    public void A_rolled_segment_starts_after_the_last_segments_entries()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3)]).WithRolled(SegmentWith(4, 5));

        Assert.Equal(3, set.FirstGlobal(1));
        Assert.Equal(5, set.Length);
    }

    [Fact]
    public void A_delete_leaves_out_the_segments_wholly_at_or_below_the_tail()
    {
        Segment first = SegmentWith(1, 2, 3);
        Segment second = SegmentWith(4, 5);
        Segment third = SegmentWith(6, 7);

        SegmentSet set = SegmentSet.Opened([first, second, third]).WithTail(5, out Segment[] dead);

        Assert.Equal([first, second], dead);
        Assert.Same(third, set[0]);
        Assert.Equal(5, set.FirstLive);
        Assert.Equal(2, set.Length);
    }

    [Fact]
    public void A_delete_never_leaves_out_the_last_segment()
    {
        Segment first = SegmentWith(1, 2);
        Segment last = SegmentWith(3, 4);

        SegmentSet set = SegmentSet.Opened([first, last]).WithTail(4, out Segment[] dead);

        Assert.Equal([first], dead);
        Assert.Same(last, set[0]);
        Assert.Equal(0, set.Length);
    }

    [Fact]
    public void A_position_counts_from_the_first_live_slot()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3), SegmentWith(4, 5)]).WithTail(2, out _);

        long global = set.FirstLive + 1; // position 1: sequence 4
        int index = set.SegmentAt(global);

        Assert.Equal(1, index);
        Assert.Equal(0, global - set.FirstGlobal(index));
    }

    [Fact]
    public void Reads_in_a_segment_start_at_its_first_live_slot()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3), SegmentWith(4, 5)]).WithTail(2, out _);

        Assert.Equal(2, set.FirstLiveSlot(0)); // sequence 3
    }

    [Fact]
    public void The_upper_bound_of_a_sequence_is_the_first_entry_above_it()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3), SegmentWith(10, 11)]);

        Assert.Equal([3L, 3L, 4L, 5L, 5L], [set.GlobalUpperBound(3), set.GlobalUpperBound(5), set.GlobalUpperBound(10), set.GlobalUpperBound(11), set.GlobalUpperBound(ulong.MaxValue)]);
    }

    [Fact]
    public void The_search_by_sequence_leaves_out_an_empty_last_segment()
    {
        SegmentSet set = SegmentSet.Opened([SegmentWith(1, 2, 3)]).WithRolled(EmptySegment(4));

        Assert.Equal(0, set.FirstSegmentReaching(2));
        Assert.Equal(1, set.FirstSegmentReaching(4));
    }

    public void Dispose()
    {
        foreach (Segment segment in segments)
        {
            segment.Release();
        }

        temp.Dispose();
    }

    private Segment SegmentWith(params ulong[] sequences)
    {
        Segment segment = EmptySegment(sequences[0]);
        Entry[] entries = [.. sequences.Select(sequence => new Entry(sequence, new byte[] { 1 }))];
        segment.Append(entries, SegmentLog.MeasureBatch(entries), sync: false);
        return segment;
    }

    private Segment EmptySegment(ulong baseSequence)
    {
        Segment segment = Segment.Create(new StoreContext(PhysicalFileSystem.Instance, temp.Path, false, NullLogger.Instance), baseSequence, slotCapacity: 16);
        segments.Add(segment);
        return segment;
    }
}
