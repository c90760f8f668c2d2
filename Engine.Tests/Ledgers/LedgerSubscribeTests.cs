using System.Threading.Channels;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerSubscribeTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(long limit = 0) => new(temp.Path, new LedgerOptions { Prefix = "subscribe", Limit = limit });

    /// <summary>Everything queued in the channel right now.</summary>
    private static ulong[] Drain(ChannelReader<ulong> reader)
    {
        var values = new List<ulong>();
        while (reader.TryRead(out ulong value))
        {
            values.Add(value);
        }

        return [.. values];
    }

    [Fact]
    public void A_subscriber_receives_Head_after_each_Write()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);

        host.Ledger.Write(EntriesOf(1, 2, 3));
        host.Ledger.Write(EntriesOf(7));
        host.Ledger.Write(EntriesOf(9, 10));

        Assert.Equal([3UL, 7UL, 10UL], Drain(channel.Reader));
    }

    [Fact]
    public void A_subscriber_is_not_notified_of_writes_before_it_subscribed()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Write(EntriesOf(1));

        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([2UL], Drain(channel.Reader));
    }

    [Fact]
    public void Write_with_no_entries_does_not_notify()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);

        host.Ledger.Write();

        Assert.Empty(Drain(channel.Reader));
    }

    [Fact]
    public void A_failed_Write_does_not_notify()
    {
        using LedgerHost host = Open(limit: 2);
        host.Ledger.Write(EntriesOf(1));
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(1)));
        Assert.Throws<LimitReachedException>(() => host.Ledger.Write(EntriesOf(2, 3)));
        Assert.Throws<ArgumentException>(() => host.Ledger.Write(new Entry(2, new byte[Ledger.MaxPayloadLength + 1])));

        Assert.Empty(Drain(channel.Reader));
    }

    [Fact]
    public void Delete_does_not_change_what_subscribers_receive_on_the_next_Write()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(1, 2));

        host.Ledger.Delete(2);
        host.Ledger.Write(EntriesOf(3));

        Assert.Equal([2UL, 3UL], Drain(channel.Reader));
    }

    [Fact]
    public async Task A_full_bounded_subscriber_never_blocks_the_writer()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateBounded<ulong>(1);
        host.Ledger.Subscribe(channel.Writer);

        Task writer = Task.Run(() =>
        {
            for (ulong s = 1; s <= 500; s++)
            {
                host.Ledger.Write(EntriesOf(s));
            }
        });
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1UL], Drain(channel.Reader));
        Assert.Equal(500, host.Ledger.Length);
    }

    [Fact]
    public void A_subscriber_that_was_full_receives_the_Head_of_the_next_Write_once_drained()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateBounded<ulong>(1);
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(1));
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([1UL], Drain(channel.Reader));
        host.Ledger.Write(EntriesOf(3));

        Assert.Equal([3UL], Drain(channel.Reader));
    }

    [Fact]
    public void A_completed_subscriber_does_not_fail_the_Write()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        channel.Writer.Complete();

        host.Ledger.Write(EntriesOf(1));

        AssertState(host.Ledger, 1, 0, 1);
    }

    [Fact]
    public void Subscribing_the_same_receiver_twice_is_the_same_as_once()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Subscribe(channel.Writer);

        host.Ledger.Write(EntriesOf(1));
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([1UL, 2UL], Drain(channel.Reader));
    }

    [Fact]
    public void Unsubscribe_after_subscribing_twice_stops_all_notifications()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Subscribe(channel.Writer);

        host.Ledger.Unsubscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(1));

        Assert.Empty(Drain(channel.Reader));
    }

    [Fact]
    public void Unsubscribe_stops_notifications()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(1));

        host.Ledger.Unsubscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([1UL], Drain(channel.Reader));
    }

    [Fact]
    public void Unsubscribing_a_receiver_that_never_subscribed_is_ignored()
    {
        using LedgerHost host = Open();
        Channel<ulong> subscribed = Channel.CreateUnbounded<ulong>();
        Channel<ulong> stranger = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(subscribed.Writer);

        host.Ledger.Unsubscribe(stranger.Writer);
        host.Ledger.Write(EntriesOf(1));

        Assert.Equal([1UL], Drain(subscribed.Reader));
        Assert.Empty(Drain(stranger.Reader));
    }

    [Fact]
    public void A_receiver_can_subscribe_again_after_unsubscribing()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Unsubscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(1));

        host.Ledger.Subscribe(channel.Writer);
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([2UL], Drain(channel.Reader));
    }

    [Fact]
    public void Every_subscriber_is_notified_and_unsubscribing_one_leaves_the_others()
    {
        using LedgerHost host = Open();
        Channel<ulong> first = Channel.CreateUnbounded<ulong>();
        Channel<ulong> second = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(first.Writer);
        host.Ledger.Subscribe(second.Writer);
        host.Ledger.Write(EntriesOf(1));

        host.Ledger.Unsubscribe(first.Writer);
        host.Ledger.Write(EntriesOf(2));

        Assert.Equal([1UL], Drain(first.Reader));
        Assert.Equal([1UL, 2UL], Drain(second.Reader));
    }

    [Fact]
    public async Task A_subscriber_waiting_on_its_channel_wakes_after_a_Write_from_another_thread()
    {
        using LedgerHost host = Open();
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        host.Ledger.Subscribe(channel.Writer);

        ValueTask<ulong> next = channel.Reader.ReadAsync();
        await Task.Run(() => host.Ledger.Write(EntriesOf(5))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(5UL, await next.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
