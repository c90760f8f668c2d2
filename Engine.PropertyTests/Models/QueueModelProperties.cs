using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// Runs of the queue model property: <c>QUASAR_PROPERTY_RUNS</c> scenarios (default 30 here) of
/// <c>QUASAR_QUEUE_MODEL_STEPS</c> / 2 to <c>QUASAR_QUEUE_MODEL_STEPS</c> commands (default 40).
/// A soak of 100,000+ steps: <c>QUASAR_PROPERTY_RUNS=1000 QUASAR_QUEUE_MODEL_STEPS=200</c>.
/// </summary>
public sealed class QueueModelPropertyAttribute() : KnobPropertyAttribute("QUASAR_PROPERTY_RUNS", 30)
{
    /// <summary>The most commands in one scenario.</summary>
    public static int MaxSteps { get; } = Math.Max(2, Knob("QUASAR_QUEUE_MODEL_STEPS") ?? 40);
}

/// <summary>
/// A queue (producer with SyncWrites, named consumers with Skip 0, a cleaner) against its model,
/// through reopens and power losses between and inside calls (API.md: at-least-once, never a gap;
/// the Window range; Retention; acknowledged writes and marks are durable).
/// </summary>
public class QueueModelProperties
{
    private static readonly Gen<QueueScenario> Scenarios =
        from consumers in Gen.Elements<string[]>(["a"], ["a", "b"], ["a", "b", "c"])
        from window in Gen.Choose(1, 4)
        from consumerBatch in Gen.Choose(1, 3)
        from producerBatch in Gen.Choose(1, 4)
        from retention in Gen.Elements(0L, 0L, 1L, 3L)
        from segmentSize in Gen.Choose(150, 1200)
        from caches in Gen.Elements(true, false)
        let start = new QueueScenario(consumers, window, consumerBatch, producerBatch, retention, segmentSize, caches, [])
        from count in Gen.Choose(QueueModelPropertyAttribute.MaxSteps / 2, QueueModelPropertyAttribute.MaxSteps)
        from commands in CommandLists.From(new QueueModel(start), count, state => CommandFor(state, consumers), After)
        select start with { Commands = commands };

    private static readonly Gen<PowerLossMode> Modes =
        from keep in Gen.Elements(Survivors.None, Survivors.All, Survivors.Prefix, Survivors.Random)
        from seed in Gen.Choose(0, 999)
        from zeroTails in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new PowerLossMode(keep, keep is Survivors.Prefix or Survivors.Random ? seed : 0, zeroTails);

    private static Gen<QueueCommand> CommandFor(QueueModel state, string[] names)
    {
        Gen<QueueCommand> produce = Gen.Choose(1, 5).Select(n => (QueueCommand)new QueueCommand.Produce(n));
        Gen<QueueCommand> clean = Gen.Constant<QueueCommand>(new QueueCommand.Clean());
        Gen<QueueCommand> reopen = Gen.Constant<QueueCommand>(new QueueCommand.Reopen());
        QueueConsumerModel[] marking = [.. state.Consumers.Where(c => c.Handed.Count > 0)];

        // Mostly the last entries read (likely unmarked), sometimes cumulative, sometimes one never delivered.
        Gen<QueueCommand> mark = marking.Length == 0
            ? Gen.Elements(names).Select(n => (QueueCommand)new QueueCommand.Mark(n, state.Head + 1, false))
            : Gen.Frequency(
                (8, from consumer in Gen.Elements(marking)
                    from sequence in Gen.Elements(consumer.Handed.TakeLast(4).ToArray())
                    from cumulative in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
                    select (QueueCommand)new QueueCommand.Mark(consumer.Name, sequence, cumulative)),
                (1, from name in Gen.Elements(names)
                    from beyond in Gen.Choose(1, 3)
                    select (QueueCommand)new QueueCommand.Mark(name, state.Head + (ulong)beyond, false)));

        Gen<QueueCommand> consume =
            from name in Gen.Elements(names)
            from count in Gen.Choose(1, 4)
            select (QueueCommand)new QueueCommand.Consume(name, count);

        // A mark or a pass makes a few disk changes, a produce (rolls included) or a reopen more.
        Gen<QueueCommand> powerLossDuring =
            from mode in Modes
            from during in Gen.Frequency((4, produce), (3, mark), (2, clean), (1, reopen))
            from atChange in during is QueueCommand.Mark or QueueCommand.Clean ? Gen.Choose(0, 3) : Gen.Choose(0, 12)
            select (QueueCommand)new QueueCommand.PowerLoss(mode, during, atChange);

        return Gen.Frequency(
            (20, produce),
            (25, consume),
            (25, mark),
            (8, clean),
            (4, reopen),
            (5, Modes.Select(m => (QueueCommand)new QueueCommand.PowerLoss(m))),
            (8, powerLossDuring));
    }

    /// <summary>The model after a command, assuming a call cut short by a power loss did not happen (the run finds out).</summary>
    private static QueueModel After(QueueModel state, QueueCommand command) => Apply(state.Clone(), command);

    private static QueueModel Apply(QueueModel model, QueueCommand command)
    {
        switch (command)
        {
            case QueueCommand.Produce produce:
                model.Written(model.NextSequences(produce.Count));
                break;
            case QueueCommand.Consume consume:
                for (int i = Math.Min(consume.Count, model[consume.Name].Pending.Count); i > 0; i--)
                {
                    model[consume.Name].Take();
                }

                break;
            case QueueCommand.Mark mark when !model[mark.Name].Pending.Contains(mark.Sequence):
                model.Mark(mark.Name, mark.Sequence, mark.Cumulative);
                break;
            case QueueCommand.Clean:
                model.DeletedTo(model.PlanClean().Target);
                break;
            case QueueCommand.Reopen:
                model.Reopened(model.StoredPositions());
                break;
            case QueueCommand.PowerLoss loss:
                if (loss.During is { } during && during is not QueueCommand.Reopen)
                {
                    Apply(model, during);
                }

                model.Reopened(model.StoredPositions());
                break;
        }

        return model;
    }

    /// <summary>Drops runs of commands, turns a power loss inside a call into the call, makes counts smaller, drops the caches.</summary>
    private static IEnumerable<QueueScenario> Shrink(QueueScenario scenario)
    {
        foreach (IReadOnlyList<QueueCommand> commands in CommandShrinks.Of(scenario.Commands, Simpler))
        {
            yield return scenario with { Commands = commands };
        }

        if (scenario.Caches)
        {
            yield return scenario with { Caches = false };
        }
    }

    private static QueueCommand? Simpler(QueueCommand command) => command switch
    {
        QueueCommand.PowerLoss { During: { } during } => during,
        QueueCommand.Produce { Count: > 1 } produce => produce with { Count = produce.Count - 1 },
        QueueCommand.Consume { Count: > 1 } consume => consume with { Count = consume.Count - 1 },
        QueueCommand.Mark { Cumulative: true } mark => mark with { Cumulative = false },
        _ => null,
    };

    [QueueModelProperty]
    public Property Queue_keeps_every_acknowledged_entry_and_mark_through_reopens_and_power_losses() =>
        Prop.ForAll(Arb.From(Scenarios, Shrink), QueueModelRun.Run);
}
