namespace Quasar.Tests.Entries;

public class EntryBufferTests
{
    private static Entry E(ulong sequence) => new(sequence, new byte[] { (byte)sequence });

    private static Entry[] Entries(params ulong[] sequences) => sequences.Select(E).ToArray();

    private static ulong[] Sequences(EntryBuffer buffer)
    {
        var result = new List<ulong>();
        buffer.Scan(entry =>
        {
            result.Add(entry.Sequence);
            return true;
        });
        return [.. result];
    }

    private static ulong[] SequencesByIndex(EntryBuffer buffer)
    {
        var result = new ulong[buffer.Count];
        for (int i = 0; i < buffer.Count; i++)
        {
            Assert.True(buffer.TryGet(i, out Entry entry));
            result[i] = entry.Sequence;
        }

        return result;
    }

    private static EntryBuffer Filled(int capacity, params ulong[] sequences)
    {
        var buffer = new EntryBuffer(capacity);
        buffer.Push(Entries(sequences));
        return buffer;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Constructor_rejects_a_capacity_below_one(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EntryBuffer(capacity));
    }

    [Fact]
    public void A_new_buffer_is_empty_and_reports_its_capacity()
    {
        var buffer = new EntryBuffer(4);

        Assert.Equal(4, buffer.Capacity);
        Assert.Equal(0, buffer.Count);
        Assert.Empty(Sequences(buffer));
    }

    [Fact]
    public void Push_appends_entries_oldest_first()
    {
        var buffer = Filled(4, 1, 2, 3);

        Assert.Equal(3, buffer.Count);
        Assert.Equal([1UL, 2UL, 3UL], Sequences(buffer));
    }

    [Fact]
    public void Push_accepts_entries_as_separate_arguments()
    {
        var buffer = new EntryBuffer(4);

        buffer.Push(E(1), E(2));

        Assert.Equal([1UL, 2UL], Sequences(buffer));
    }

    [Fact]
    public void Push_of_no_entries_changes_nothing()
    {
        var buffer = Filled(3, 1, 2);

        buffer.Push();

        Assert.Equal([1UL, 2UL], Sequences(buffer));
    }

    [Fact]
    public void Push_into_a_full_buffer_overwrites_the_oldest_entries()
    {
        var buffer = new EntryBuffer(3);
        for (ulong s = 1; s <= 5; s++)
        {
            buffer.Push(E(s));
        }

        Assert.Equal(3, buffer.Count);
        Assert.Equal([3UL, 4UL, 5UL], Sequences(buffer));
        Assert.Equal([3UL, 4UL, 5UL], SequencesByIndex(buffer));
    }

    [Fact]
    public void Push_of_more_entries_than_the_capacity_keeps_only_the_newest()
    {
        var buffer = Filled(3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        Assert.Equal(3, buffer.Count);
        Assert.Equal([8UL, 9UL, 10UL], Sequences(buffer));
    }

    [Fact]
    public void Push_of_more_entries_than_the_capacity_into_a_partly_filled_buffer_keeps_only_the_newest()
    {
        var buffer = Filled(3, 1, 2);

        buffer.Push(Entries(3, 4, 5, 6));

        Assert.Equal([4UL, 5UL, 6UL], Sequences(buffer));
    }

    [Fact]
    public void Push_that_overflows_a_partly_filled_buffer_drops_just_enough_old_entries()
    {
        var buffer = Filled(4, 1, 2, 3);

        buffer.Push(Entries(4, 5));

        Assert.Equal([2UL, 3UL, 4UL, 5UL], Sequences(buffer));
    }

    [Fact]
    public void Entries_wrap_around_the_end_of_the_storage_after_a_trim()
    {
        var buffer = Filled(3, 1, 2, 3);
        buffer.Trim(e => e.Sequence <= 2);

        buffer.Push(Entries(4, 5));

        Assert.Equal([3UL, 4UL, 5UL], Sequences(buffer));
        Assert.Equal([3UL, 4UL, 5UL], SequencesByIndex(buffer));
        Assert.True(buffer.TryGet(-1, out Entry newest));
        Assert.Equal(5UL, newest.Sequence);
    }

    [Fact]
    public void A_buffer_of_capacity_one_keeps_only_the_newest_entry()
    {
        var buffer = new EntryBuffer(1);

        buffer.Push(E(1));
        buffer.Push(E(2));
        buffer.Push(Entries(3, 4));

        Assert.Equal(1, buffer.Count);
        Assert.Equal([4UL], Sequences(buffer));
        Assert.True(buffer.TryGet(0, out Entry oldest));
        Assert.True(buffer.TryGet(-1, out Entry newest));
        Assert.Equal(4UL, oldest.Sequence);
        Assert.Equal(4UL, newest.Sequence);
        Assert.False(buffer.TryGet(1, out _));
        Assert.False(buffer.TryGet(-2, out _));
    }

    [Fact]
    public void TryGet_zero_is_the_oldest_entry()
    {
        var buffer = Filled(3, 1, 2, 3, 4);

        Assert.True(buffer.TryGet(0, out Entry entry));
        Assert.Equal(2UL, entry.Sequence);
    }

    [Fact]
    public void TryGet_minus_one_is_the_newest_entry()
    {
        var buffer = Filled(3, 1, 2, 3, 4);

        Assert.True(buffer.TryGet(-1, out Entry entry));
        Assert.Equal(4UL, entry.Sequence);
    }

    [Fact]
    public void TryGet_with_negative_indexes_counts_back_from_the_newest()
    {
        var buffer = Filled(5, 10, 20, 30);

        Assert.True(buffer.TryGet(-2, out Entry second));
        Assert.True(buffer.TryGet(-3, out Entry third));
        Assert.Equal(20UL, second.Sequence);
        Assert.Equal(10UL, third.Sequence);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(-4)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void TryGet_out_of_range_returns_false_and_the_default_entry(int index)
    {
        var buffer = Filled(5, 10, 20, 30);

        Assert.False(buffer.TryGet(index, out Entry entry));
        Assert.Equal(default, entry);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TryGet_on_an_empty_buffer_returns_false(int index)
    {
        var buffer = new EntryBuffer(2);

        Assert.False(buffer.TryGet(index, out _));
    }

    [Fact]
    public void Scan_visits_the_entries_from_oldest_to_newest()
    {
        var buffer = Filled(3, 1, 2, 3, 4, 5);

        Assert.Equal([3UL, 4UL, 5UL], Sequences(buffer));
    }

    [Fact]
    public void Scan_stops_as_soon_as_the_visitor_returns_false()
    {
        var buffer = Filled(5, 1, 2, 3, 4, 5);
        var visited = new List<ulong>();

        buffer.Scan(entry =>
        {
            visited.Add(entry.Sequence);
            return entry.Sequence < 2;
        });

        Assert.Equal([1UL, 2UL], visited);
    }

    [Fact]
    public void Scan_of_an_empty_buffer_never_calls_the_visitor()
    {
        var buffer = new EntryBuffer(3);
        int calls = 0;

        buffer.Scan(_ =>
        {
            calls++;
            return true;
        });

        Assert.Equal(0, calls);
    }

    [Fact]
    public void Scan_leaves_the_buffer_unchanged()
    {
        var buffer = Filled(3, 1, 2, 3);

        buffer.Scan(_ => false);

        Assert.Equal([1UL, 2UL, 3UL], Sequences(buffer));
    }

    [Fact]
    public void Trim_drops_the_oldest_entries_while_the_predicate_holds()
    {
        var buffer = Filled(5, 1, 2, 3, 4, 5);

        buffer.Trim(e => e.Sequence <= 3);

        Assert.Equal(2, buffer.Count);
        Assert.Equal([4UL, 5UL], Sequences(buffer));
    }

    [Fact]
    public void Trim_stops_at_the_first_entry_the_predicate_rejects()
    {
        var buffer = Filled(5, 1, 5, 2, 3);

        buffer.Trim(e => e.Sequence < 4);

        Assert.Equal([5UL, 2UL, 3UL], Sequences(buffer));
    }

    [Fact]
    public void Trim_does_not_call_the_predicate_after_it_returns_false()
    {
        var buffer = Filled(5, 1, 2, 3, 4);
        var asked = new List<ulong>();

        buffer.Trim(e =>
        {
            asked.Add(e.Sequence);
            return e.Sequence < 2;
        });

        Assert.Equal([1UL, 2UL], asked);
    }

    [Fact]
    public void Trim_can_empty_the_buffer()
    {
        var buffer = Filled(3, 1, 2, 3, 4);

        buffer.Trim(_ => true);

        Assert.Equal(0, buffer.Count);
        Assert.False(buffer.TryGet(0, out _));
        Assert.Empty(Sequences(buffer));
    }

    [Fact]
    public void Trim_of_an_empty_buffer_never_calls_the_predicate()
    {
        var buffer = new EntryBuffer(3);
        int calls = 0;

        buffer.Trim(_ =>
        {
            calls++;
            return true;
        });

        Assert.Equal(0, calls);
    }

    [Fact]
    public void A_trimmed_buffer_accepts_entries_up_to_its_capacity_again()
    {
        var buffer = Filled(3, 1, 2, 3);
        buffer.Trim(e => e.Sequence == 1);

        buffer.Push(Entries(4, 5));

        Assert.Equal(3, buffer.Count);
        Assert.Equal([3UL, 4UL, 5UL], Sequences(buffer));
    }

    [Fact]
    public void Clear_removes_every_entry()
    {
        var buffer = Filled(3, 1, 2, 3, 4);

        buffer.Clear();

        Assert.Equal(0, buffer.Count);
        Assert.Equal(3, buffer.Capacity);
        Assert.False(buffer.TryGet(0, out _));
        Assert.False(buffer.TryGet(-1, out _));
        Assert.Empty(Sequences(buffer));
    }

    [Fact]
    public void A_cleared_buffer_can_be_filled_again()
    {
        var buffer = Filled(3, 1, 2, 3, 4);
        buffer.Clear();

        buffer.Push(Entries(10, 11, 12, 13));

        Assert.Equal([11UL, 12UL, 13UL], Sequences(buffer));
        Assert.Equal([11UL, 12UL, 13UL], SequencesByIndex(buffer));
    }

    [Fact]
    public void Entries_keep_their_payload_and_object()
    {
        var payload = new byte[] { 1, 2, 3 };
        var decoded = new object();
        var buffer = new EntryBuffer(2);

        buffer.Push(new Entry(7, payload, decoded));

        Assert.True(buffer.TryGet(0, out Entry entry));
        Assert.Equal(7UL, entry.Sequence);
        Assert.Same(decoded, entry.Object);
        Assert.True(entry.Payload.Span.SequenceEqual(payload));
    }

    [Fact]
    public void Scan_hands_the_visitor_the_entry_object()
    {
        var decoded = new object();
        var buffer = new EntryBuffer(2);
        buffer.Push(new Entry(7, ReadOnlyMemory<byte>.Empty, decoded));
        object? seen = null;

        buffer.Scan(e =>
        {
            seen = e.Object;
            return true;
        });

        Assert.Same(decoded, seen);
    }

    [Fact]
    public void Entry_object_defaults_to_null()
    {
        Assert.Null(new Entry(1, ReadOnlyMemory<byte>.Empty).Object);
    }

    [Fact]
    public void Scan_rejects_a_null_visitor()
    {
        Assert.Throws<ArgumentNullException>(() => new EntryBuffer(1).Scan(null!));
    }

    [Fact]
    public void Trim_rejects_a_null_predicate()
    {
        Assert.Throws<ArgumentNullException>(() => new EntryBuffer(1).Trim(null!));
    }
}
