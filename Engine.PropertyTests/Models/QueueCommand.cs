using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a queue (one producer, named consumers, a cleaner); prints like the call it stands for.</summary>
public abstract record QueueCommand
{
    /// <summary>Writes <paramref name="Count"/> entries with the next sequences through the producer and awaits every ack.</summary>
    public sealed record Produce(int Count) : QueueCommand
    {
        public override string ToString() => $"Produce({Count})";
    }

    /// <summary>Reads up to <paramref name="Count"/> entries from the named consumer's channel: as many as the model says it delivers.</summary>
    public sealed record Consume(string Name, int Count) : QueueCommand
    {
        public override string ToString() => $"Consume({Name}, {Count})";
    }

    /// <summary>Awaits <c>MarkAsync(Sequence, Cumulative)</c> on the named consumer.</summary>
    public sealed record Mark(string Name, ulong Sequence, bool Cumulative) : QueueCommand
    {
        public override string ToString() => $"Mark({Name}, {Sequence}{(Cumulative ? ", cumulative" : string.Empty)})";
    }

    /// <summary>One cleaner pass (<see cref="Cleaner.Clean"/>).</summary>
    public sealed record Clean : QueueCommand
    {
        public override string ToString() => "Clean";
    }

    /// <summary>Disposes the queue and the Db cleanly and opens both again.</summary>
    public sealed record Reopen : QueueCommand
    {
        public override string ToString() => "Reopen";
    }

    /// <summary>
    /// Loses power: between two steps (<paramref name="During"/> null), or at the
    /// <paramref name="AtChange"/>-th disk change of <paramref name="During"/> (right after it when
    /// it makes fewer changes); then the abandoned Db is disposed, the power comes back, and it is opened again.
    /// </summary>
    public sealed record PowerLoss(PowerLossMode Mode, QueueCommand? During = null, int AtChange = 0) : QueueCommand
    {
        public override string ToString() =>
            During is null ? $"PowerLoss({Mode})" : $"PowerLoss({Mode}) at change {AtChange} of {During}";
    }
}

/// <summary>A command sequence plus the options it runs with.</summary>
/// <param name="Consumers">The consumers' names; all of them are created whenever the queue opens.</param>
/// <param name="Window">Every consumer's <see cref="ConsumerOptions.Window"/>.</param>
/// <param name="ConsumerBatch">Every consumer's <see cref="ConsumerOptions.Batch"/>.</param>
/// <param name="ProducerBatch">The producer's <see cref="ProducerOptions.Batch"/>.</param>
/// <param name="Retention">The cleaner's <see cref="CleanerOptions.Retention"/>.</param>
/// <param name="SegmentSize">The Db's segment size: small, so that producing rolls segments.</param>
/// <param name="Caches">Ledger cache of 8 entries and a table cache, or neither.</param>
public sealed record QueueScenario(
    IReadOnlyList<string> Consumers,
    int Window,
    int ConsumerBatch,
    int ProducerBatch,
    long Retention,
    long SegmentSize,
    bool Caches,
    IReadOnlyList<QueueCommand> Commands)
{
    public override string ToString() =>
        $"Consumers=[{string.Join(",", Consumers)}], Window={Window}, ConsumerBatch={ConsumerBatch}, ProducerBatch={ProducerBatch}, " +
        $"Retention={Retention}, SegmentSize={SegmentSize}, Caches={Caches}: " + string.Join("; ", Commands);
}
