using System.Collections.Concurrent;
using Quasar.Hosting;

namespace Quasar.Tests.Hosting;

/// <summary>What the handlers of one test saw: every call, by consumer tag and sequence. Shared across hosts.</summary>
public sealed class HandledLog
{
    private readonly ConcurrentQueue<(string Tag, ulong Sequence)> calls = new();

    public void Add(string tag, ulong sequence) => calls.Enqueue((tag, sequence));

    public ulong[] Of(string tag) => [.. calls.Where(c => c.Tag == tag).Select(c => c.Sequence)];

    public int Count(string tag) => calls.Count(c => c.Tag == tag);
}

/// <summary>Records each entry under <typeparamref name="TTag"/>'s name; two tags make two distinguishable consumers.</summary>
public sealed class RecordingHandler<TTag>(HandledLog log) : IQuasarHandler
{
    public ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        log.Add(typeof(TTag).Name, entry.Sequence);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Throws for the payload "poison" (recording every attempt), records the rest.</summary>
public sealed class PoisonAwareHandler(HandledLog log) : IQuasarHandler
{
    public ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Payload.Span.SequenceEqual("poison"u8))
        {
            log.Add("attempt", entry.Sequence);
            throw new InvalidOperationException($"cannot digest {entry.Sequence}");
        }

        log.Add("handled", entry.Sequence);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Waits on the stopping token for the payload "slow", recording that it saw the cancellation.</summary>
public sealed class StopAwareHandler(HandledLog log) : IQuasarHandler
{
    public async ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Payload.Span.SequenceEqual("slow"u8))
        {
            log.Add("started", entry.Sequence);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                log.Add("cancelled", entry.Sequence);
                throw;
            }
        }

        log.Add("handled", entry.Sequence);
    }
}

public sealed class First;

public sealed class Second;
