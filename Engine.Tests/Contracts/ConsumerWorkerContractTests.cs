using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>The worker contract for a named consumer that has delivered entries 1..3; its work in progress is <see cref="Consumer.Completion"/>.</summary>
public sealed class ConsumerWorkerContractTests : WorkerContract
{
    private Consumer? consumer;

    /// <inheritdoc />
    protected override bool UsesTable => true;

    private Consumer Consumer => consumer ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    protected override async Task StartAsync()
    {
        Ledger.Write(TestEntries.Range(1, 3));
        consumer = new Consumer(Ledger, Table, new ConsumerOptions { Name = "c", Window = 10, Errors = Errors.Enqueue });
        await Consumer.Entries.ReadAsync(3);
    }

    /// <inheritdoc />
    protected override ValueTask DisposeWorkerAsync() => consumer?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <inheritdoc />
    protected override async Task<Exception?> OutcomeAsync()
    {
        try
        {
            await Consumer.Completion;
            return null;
        }
#pragma warning disable CA1031 // the outcome is whatever it faulted with
        catch (Exception error)
#pragma warning restore CA1031
        {
            return error;
        }
    }

    /// <inheritdoc />
    protected override Task<bool> OfferWorkAsync() => Task.FromResult(Consumer.Mark(1));
}
