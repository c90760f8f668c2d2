namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="EntryBuffer"/> at its extremes: a huge capacity costs memory only as entries arrive,
/// and positions far out of range are simply not found. (Capacity below 1 and null callbacks are
/// covered by Entries/EntryBufferTests.)
/// </summary>
public sealed class EntryBufferBadInputTests
{
    [Fact]
    public void A_capacity_of_int_MaxValue_is_accepted_without_allocating_for_it()
    {
        var buffer = new EntryBuffer(int.MaxValue);

        Assert.Equal(int.MaxValue, buffer.Capacity);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void A_huge_buffer_grows_past_its_first_allocation_and_keeps_every_entry_in_order()
    {
        const int Pushed = (1 << 16) + 3; // beyond what is allocated up front
        var buffer = new EntryBuffer(int.MaxValue);

        for (ulong sequence = 1; sequence <= Pushed; sequence++)
        {
            buffer.Push(new Entry(sequence, ReadOnlyMemory<byte>.Empty));
        }

        Assert.Equal(Pushed, buffer.Count);
        Assert.True(buffer.TryGet(0, out Entry oldest));
        Assert.True(buffer.TryGet(-1, out Entry newest));
        Assert.Equal((1UL, (ulong)Pushed), (oldest.Sequence, newest.Sequence));
        ulong expected = 1;
        buffer.Scan(e => e.Sequence == expected++);
        Assert.Equal((ulong)Pushed + 1, expected);
    }

    [Fact]
    public void A_buffer_that_grew_still_overwrites_the_oldest_once_full()
    {
        const int Capacity = (1 << 16) + 2;
        var buffer = new EntryBuffer(Capacity);

        for (ulong sequence = 1; sequence <= Capacity + 5; sequence++)
        {
            buffer.Push(new Entry(sequence, ReadOnlyMemory<byte>.Empty));
        }

        Assert.Equal(Capacity, buffer.Count);
        Assert.True(buffer.TryGet(0, out Entry oldest));
        Assert.Equal(6UL, oldest.Sequence);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(-2)]
    [InlineData(1)]
    public void TryGet_far_out_of_range_finds_nothing(int index)
    {
        var buffer = new EntryBuffer(4);
        buffer.Push(new Entry(7, ReadOnlyMemory<byte>.Empty));

        Assert.False(buffer.TryGet(index, out Entry entry));
        Assert.Equal(default, entry);
    }
}
