using System.Text;
using Quasar.Hosting;

namespace Quasar.Tests.Hosting.EndToEnd;

/// <summary>The billing consumer: refuses the order "poison" on every attempt (logging each as "billing-attempt"), records the rest as "billing".</summary>
public sealed class BillingHandler(HandledLog log) : IQuasarHandler
{
    public const string Poison = "poison";

    public ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetString(entry.Payload.Span) == Poison)
        {
            log.Add("billing-attempt", entry.Sequence);
            throw new InvalidOperationException($"order {entry.Sequence} cannot be billed");
        }

        log.Add("billing", entry.Sequence);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The shipping consumer: records every order as "shipping" once its <see cref="ShippingGate"/> lets it
/// through; an order the gate holds waits for the host to stop and is then cancelled, unrecorded.
/// </summary>
public sealed class ShippingHandler(HandledLog log, ShippingGate gate) : IQuasarHandler
{
    public async ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (!gate.TryPass())
        {
            log.Add("shipping-held", entry.Sequence);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        log.Add("shipping", entry.Sequence);
    }
}

/// <summary>
/// How many orders one host's shipping consumer may handle; the rest wait for the stop. Protocol:
/// a worker handles its entries one at a time, but the counter is still decremented atomically so
/// the gate would hold with several callers.
/// </summary>
public sealed class ShippingGate(int limit)
{
    private int remaining = limit;

    public static ShippingGate Open => new(int.MaxValue);

    public bool TryPass() => Interlocked.Decrement(ref remaining) >= 0;
}
