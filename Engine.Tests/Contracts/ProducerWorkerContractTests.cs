using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>
/// The worker contract for a producer holding entry 1 in an unfinished batch (Batch 10, a Timeout
/// of an hour); its work in progress is that entry's ack. An orderly stop fails unwritten entries
/// with <see cref="ProducerClosedException"/> (API.md, DisposeAsync).
/// </summary>
public sealed class ProducerWorkerContractTests : WorkerContract
{
    private readonly AckProbe pending = new();
    private Producer? producer;
    private ulong next = 2;

    /// <inheritdoc />
    protected override bool UsesTable => false;

    /// <inheritdoc />
    protected override Type? OrderlyOutcome => typeof(ProducerClosedException);

    private Producer Producer => producer ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    protected override Task StartAsync()
    {
        producer = new Producer(Ledger, new ProducerOptions { Batch = 10, Timeout = TimeSpan.FromHours(1) });
        Assert.True(Producer.TryWrite(TestEntries.Make(1), pending.Ack));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask DisposeWorkerAsync() => producer?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <inheritdoc />
    protected override Task<Exception?> OutcomeAsync() => pending.Outcome;

    /// <inheritdoc />
    protected override Task<bool> OfferWorkAsync() => Task.Run(() => Producer.TryWrite(TestEntries.Make(next++)));
}
