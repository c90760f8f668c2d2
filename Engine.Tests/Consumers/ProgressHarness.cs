using Microsoft.Extensions.Logging.Abstractions;
using Quasar.Tests.Support;

namespace Quasar.Tests.Consumers;

/// <summary>A clock that stands still until the test moves it: Timeout decisions without waiting.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    /// <summary>One timestamp unit is one <see cref="TimeSpan"/> tick.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public void Advance(TimeSpan by) => ticks += by.Ticks;
}

/// <summary>
/// A <see cref="ConsumerProgress"/> on a real table in a temp directory, with a hand-moved clock,
/// the Timeout wake-ups it asks for recorded, and helpers that play the reader (deliver, skip)
/// and the marker (mark, tick, persist) one step at a time.
/// </summary>
internal sealed class ProgressHarness : IDisposable
{
    public const string Name = "c";

    private readonly TestDb db = new();
    private ConsumerProgress? progress;

    public ProgressHarness()
    {
        Table = db.Table();
    }

    public Table Table { get; }

    public ManualClock Clock { get; } = new();

    /// <summary>Every Timeout wake-up the progress asked for, in order.</summary>
    public List<TimeSpan> ArmedTimeouts { get; } = [];

    public ConsumerProgress Progress => progress ?? throw new InvalidOperationException("Restore first.");

    /// <summary>What the table holds for the consumer.</summary>
    public ulong[] Stored => Table.Get(Name);

    /// <summary>Stores <paramref name="positions"/> as if an earlier run had persisted them.</summary>
    public void Store(params ulong[] positions) => Table.Set(Name, positions);

    /// <summary>Restores the progress from the table, as a consumer named <see cref="Name"/> does when it starts.</summary>
    public ConsumerProgress Restore(ConsumerOptions options) =>
        progress = ConsumerProgress.Restore(Table, options with { Name = Name }, Clock, ArmedTimeouts.Add, NullLogger.Instance);

    /// <summary>The reader admits a batch read from the ledger; returns the sequences it delivers.</summary>
    public ulong[] Deliver(params ulong[] sequences) =>
        [.. Progress.Admit(ConsumerProbe.EntriesOf(sequences)).Select(e => e.Sequence)];

    /// <summary>The marker applies one mark; returns its ack.</summary>
    public AckProbe Mark(ulong sequence, bool cumulative = false) => MarkAll((sequence, cumulative))[0];

    /// <summary>The marker applies marks drained in one go, in order; returns their acks.</summary>
    public AckProbe[] MarkAll(params (ulong Sequence, bool Cumulative)[] marks)
    {
        AckProbe[] acks = AckProbe.Many(marks.Length);
        Progress.Apply([.. marks.Select((mark, i) => new MarkRequest(mark.Sequence, mark.Cumulative, acks[i].Ack, null))]);
        return acks;
    }

    public void Dispose() => db.Dispose();
}
