namespace Quasar.Tests.Sequences;

public class SequenceGenerateTests
{
    private static readonly DateTimeOffset LastSecond = new(2106, 2, 7, 6, 28, 15, TimeSpan.Zero);

    [Fact]
    public void Generate_rejects_a_count_of_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Generate(0));
    }

    [Fact]
    public void Generate_returns_strictly_increasing_values_on_one_thread()
    {
        ulong previous = Sequence.Generate();
        for (int i = 0; i < 10_000; i++)
        {
            ulong next = Sequence.Generate();
            Assert.True(next > previous, $"call {i}: {next} is not above {previous}");
            previous = next;
        }
    }

    [Fact]
    public void Generate_reserves_count_consecutive_sequences()
    {
        ulong first = Sequence.Generate(10);
        ulong after = Sequence.Generate();

        Assert.True(after >= first + 10, $"{after} lies inside the range {first}..{first + 9}");
    }

    [Fact]
    public void Generate_puts_the_current_unix_seconds_in_the_high_32_bits()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        ulong sequence = Sequence.Generate();
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        long seconds = (long)(sequence >> 32);
        Assert.InRange(seconds, before, after + 2);
    }

    [Fact]
    public void Generate_never_returns_ordinal_zero()
    {
        for (int i = 0; i < 1000; i++)
        {
            Assert.NotEqual(0u, (uint)Sequence.Generate());
        }
    }

    [Fact]
    public void Generate_is_monotonic_per_thread_and_hands_out_disjoint_ranges_across_threads()
    {
        const int threads = 8;
        const int callsPerThread = 2_000;
        var ranges = new (ulong First, uint Count)[threads][];
        var failures = new List<string>();
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var mine = new (ulong First, uint Count)[callsPerThread];
            start.SignalAndWait();
            for (int i = 0; i < callsPerThread; i++)
            {
                uint count = (uint)(((i + t) % 5) + 1);
                mine[i] = (Sequence.Generate(count), count);
            }

            for (int i = 1; i < callsPerThread; i++)
            {
                ulong previousLast = mine[i - 1].First + mine[i - 1].Count - 1;
                if (mine[i].First <= previousLast)
                {
                    lock (failures)
                    {
                        failures.Add($"thread {t} call {i}: {mine[i].First} is not above {previousLast}");
                    }
                }
            }

            ranges[t] = mine;
        })).ToList();

        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Empty(failures);
        var all = ranges.SelectMany(r => r).OrderBy(r => r.First).ToArray();
        for (int i = 1; i < all.Length; i++)
        {
            ulong previousLast = all[i - 1].First + all[i - 1].Count - 1;
            Assert.True(all[i].First > previousLast, $"range {all[i].First}+{all[i].Count} overlaps {all[i - 1].First}+{all[i - 1].Count}");
        }
    }

    [Fact]
    public void Join_puts_the_seconds_in_the_high_bits_and_the_ordinal_in_the_low_bits()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddSeconds(3);

        Assert.Equal((3UL << 32) | 7UL, Sequence.Join(timestamp, 7));
    }

    [Fact]
    public void Join_of_the_epoch_and_ordinal_zero_is_zero()
    {
        Assert.Equal(0UL, Sequence.Join(DateTimeOffset.UnixEpoch, 0));
    }

    [Fact]
    public void Join_truncates_fractional_seconds()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddSeconds(12).AddTicks(TimeSpan.TicksPerSecond - 1);

        Assert.Equal((12UL << 32) | 1UL, Sequence.Join(timestamp, 1));
    }

    [Fact]
    public void Join_uses_the_utc_instant_regardless_of_the_offset()
    {
        var utc = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var local = utc.ToOffset(TimeSpan.FromHours(5.5));

        Assert.Equal(Sequence.Join(utc, 9), Sequence.Join(local, 9));
        Assert.Equal((ulong)utc.ToUnixTimeSeconds(), Sequence.Join(local, 9) >> 32);
    }

    [Fact]
    public void Join_rejects_a_time_before_1970()
    {
        var timestamp = new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero);

        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Join(timestamp, 1));
    }

    [Fact]
    public void Join_rejects_a_fraction_of_a_second_before_1970()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddTicks(-1);

        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Join(timestamp, 1));
    }

    [Fact]
    public void Join_rejects_DateTimeOffset_MinValue()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Join(DateTimeOffset.MinValue, 0));
    }

    [Fact]
    public void Join_accepts_the_last_representable_second()
    {
        Assert.Equal(ulong.MaxValue, Sequence.Join(LastSecond, uint.MaxValue));
    }

    [Fact]
    public void Join_accepts_a_fraction_within_the_last_representable_second()
    {
        var timestamp = LastSecond.AddTicks(TimeSpan.TicksPerSecond - 1);

        Assert.Equal((ulong)uint.MaxValue << 32, Sequence.Join(timestamp, 0));
    }

    [Fact]
    public void Join_rejects_the_first_second_after_2106_02_07T06_28_15Z()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Join(LastSecond.AddSeconds(1), 0));
    }

    [Fact]
    public void Join_rejects_DateTimeOffset_MaxValue()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequence.Join(DateTimeOffset.MaxValue, 0));
    }

    [Fact]
    public void Split_returns_a_timestamp_with_offset_zero()
    {
        var local = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(-7));

        var (timestamp, _) = Sequence.Split(Sequence.Join(local, 1));

        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
        Assert.Equal(local, timestamp);
    }

    [Fact]
    public void Split_of_zero_is_the_epoch_and_ordinal_zero()
    {
        var (timestamp, ordinal) = Sequence.Split(0);

        Assert.Equal(DateTimeOffset.UnixEpoch, timestamp);
        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
        Assert.Equal(0u, ordinal);
    }

    [Fact]
    public void Split_of_the_max_value_is_the_last_second_and_the_max_ordinal()
    {
        var (timestamp, ordinal) = Sequence.Split(ulong.MaxValue);

        Assert.Equal(LastSecond, timestamp);
        Assert.Equal(uint.MaxValue, ordinal);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(4_294_967_296UL)]
    [InlineData(7_361_238_415_210_536_961UL)]
    [InlineData(ulong.MaxValue)]
    public void Join_of_Split_gives_back_the_sequence(ulong sequence)
    {
        var (timestamp, ordinal) = Sequence.Split(sequence);

        Assert.Equal(sequence, Sequence.Join(timestamp, ordinal));
    }

    [Fact]
    public void Split_of_Join_gives_back_a_whole_second_timestamp_and_the_ordinal()
    {
        var timestamp = new DateTimeOffset(2031, 7, 14, 3, 2, 1, TimeSpan.Zero);

        Assert.Equal((timestamp, 12345u), Sequence.Split(Sequence.Join(timestamp, 12345)));
    }

    [Fact]
    public void Split_of_a_generated_sequence_is_close_to_now()
    {
        var (timestamp, ordinal) = Sequence.Split(Sequence.Generate());

        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(ordinal >= 1);
    }
}
