using FsCheck;
using FsCheck.Fluent;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>Generating and shrinking ledger scenarios.</summary>
internal static class LedgerScenarios
{
    private const int MaxCommands = 40;

    // ---- generation: commands are drawn from the model state reached so far, so that most writes
    // are valid and reads, deletes and indexes land around the live range.

    /// <summary>Calls only, on the real file system.</summary>
    public static Arbitrary<LedgerScenario> Plain { get; } = Arb.From(Scenarios(CommandFor, syncWrites: false), Shrink);

    /// <summary>Calls, Db.Sync (without <paramref name="syncWrites"/>) and power losses between and during calls.</summary>
    public static Arbitrary<LedgerScenario> WithPowerLoss(bool syncWrites) =>
        Arb.From(Scenarios(state => WithPowerLossFor(state, syncWrites), syncWrites), Shrink);

    private static Gen<LedgerScenario> Scenarios(Func<LedgerModel, Gen<LedgerCommand>> commandFor, bool syncWrites) =>
        from segmentSize in Gen.Choose(64, 512)
        from cache in Gen.Choose(1, 12)
        from limit in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 25)))
        from count in Gen.Choose(1, MaxCommands)
        from commands in CommandLists.From(new LedgerModel(limit), count, commandFor, After)
        select new LedgerScenario(segmentSize, cache, limit, commands, syncWrites);

    private static Gen<LedgerCommand> WithPowerLossFor(LedgerModel state, bool syncWrites)
    {
        // The calls a power loss can interrupt: the ones that change the disk.
        Gen<LedgerCommand> interruptible = Gen.Frequency(
            (6, WriteOf(ValidBatch(state, BatchSizes))),
            (3, Around(state).Select(s => (LedgerCommand)new LedgerCommand.Delete(s))),
            (2, Gen.Constant<LedgerCommand>(new LedgerCommand.Reopen())),
            (1, Gen.Constant<LedgerCommand>(new LedgerCommand.ReopenLedgers())),
            (syncWrites ? 0 : 2, Gen.Constant<LedgerCommand>(new LedgerCommand.Sync())));
        return Gen.Frequency(
            (100, CommandFor(state)),
            (syncWrites ? 0 : 10, Gen.Constant<LedgerCommand>(new LedgerCommand.Sync())),
            (6, PowerLossSteps.Modes.Select(mode => (LedgerCommand)new LedgerCommand.PowerLoss(mode))),
            (12, from call in interruptible
                 from at in PowerLossSteps.Changes
                 from mode in PowerLossSteps.Modes
                 select (LedgerCommand)new LedgerCommand.PowerLossDuring(call, at, mode)));
    }

    private static LedgerModel After(LedgerModel state, LedgerCommand command)
    {
        LedgerModel next = state.Clone();
        switch (command is LedgerCommand.PowerLossDuring during ? during.Call : command)
        {
            case LedgerCommand.Write write:
                next.Write([.. write.Sequences.Select(s => new Entry(s, ReadOnlyMemory<byte>.Empty))]);
                break;
            case LedgerCommand.Delete delete:
                next.Delete(delete.Sequence);
                break;
        }

        return next;
    }

    /// <summary>Uniform in [low, high] (saturating ranges too large for <see cref="Gen.Choose(int, int)"/>).</summary>
    private static Gen<ulong> Between(ulong low, ulong high)
    {
        if (high < low)
        {
            return Gen.Constant(low);
        }

        if (high - low <= 10_000)
        {
            return Gen.Choose(0, (int)(high - low)).Select(x => low + (ulong)x);
        }

        return Gen.OneOf(
            Gen.Choose(0, 100).Select(x => low + (ulong)x),
            Gen.Choose(0, 100).Select(x => high - (ulong)x));
    }

    private static ulong Plus(ulong value, ulong delta) => value > ulong.MaxValue - delta ? ulong.MaxValue : value + delta;

    /// <summary>Sequences around the live range: mostly 0..Head+3, some near Tail/Head, rarely the extremes.</summary>
    private static Gen<ulong> Around(LedgerModel state) => Gen.Frequency(
        (6, Between(0, Plus(Math.Min(state.Head, 10_000), 3))),
        (3, Between(state.Tail, Plus(state.Head, 2))),
        (1, Gen.Elements(0UL, 1UL, state.Head, Plus(state.Head, 1), ulong.MaxValue)));

    /// <summary>Strictly increasing sequences starting at <paramref name="first"/> (steps of 1 or 2), saturating at the top.</summary>
    private static Gen<ulong[]> Run(ulong first, Gen<int> counts) =>
        from count in counts
        from steps in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(1UL)), (1, Gen.Constant(2UL))), Math.Max(count - 1, 0))
        select Enumerable.Range(0, count).Select(i => Plus(first, steps.Take(i).Aggregate(0UL, (a, b) => a + b))).ToArray();

    private static readonly Gen<int> BatchSizes = Gen.Frequency((6, Gen.Choose(1, 4)), (1, Gen.Choose(5, 12)));

    private static Gen<ulong[]> ValidBatch(LedgerModel state, Gen<int> counts) =>
        from gap in Gen.Frequency((4, Gen.Constant(1UL)), (1, Gen.Constant(2UL)), (1, Gen.Constant(3UL)))
        from sequences in Run(Plus(state.Head, gap), counts)
        select sequences;

    private static Gen<LedgerCommand> WriteOf(Gen<ulong[]> batches) =>
        batches.Select(sequences => (LedgerCommand)new LedgerCommand.Write(sequences));

    /// <summary>Swaps entries i and i+1, or makes entry i+1 a duplicate of entry i.</summary>
    private static ulong[] Perturb(ulong[] batch, int i, bool swap)
    {
        ulong[] copy = [.. batch];
        if (swap)
        {
            (copy[i], copy[i + 1]) = (copy[i + 1], copy[i]);
        }
        else
        {
            copy[i + 1] = copy[i];
        }

        return copy;
    }

    private static Gen<LedgerCommand> CommandFor(LedgerModel state)
    {
        // strictly increasing inside, but two entries swapped or duplicated
        Gen<ulong[]> nonMonotonic =
            from batch in ValidBatch(state, Gen.Choose(2, 5))
            from i in Gen.Choose(0, batch.Length - 2)
            from swap in Gen.Elements(true, false)
            select Perturb(batch, i, swap);

        // increasing, but starting at or below Head
        Gen<ulong[]> atOrBelowHead =
            from first in Gen.Frequency((2, Gen.Constant(state.Head)), (1, Between(state.Head > 5 ? state.Head - 5 : 0, state.Head)))
            from sequences in Run(first, Gen.Choose(1, 4))
            select sequences;

        // After the rare write at the very top of the range, no valid write is left: try invalid ones.
        bool exhausted = state.Head > ulong.MaxValue - 64;
        bool full = state.Limit > 0 && state.Length + 2 >= state.Limit;
        var choices = new List<(int, Gen<LedgerCommand>)>
        {
            (80, WriteOf(exhausted ? atOrBelowHead : ValidBatch(state, BatchSizes))),
            (10, WriteOf(nonMonotonic)),
            (10, WriteOf(atOrBelowHead)),
            (4, Gen.Constant<LedgerCommand>(new LedgerCommand.Write([]))),
            (exhausted ? 0 : 1, WriteOf(Gen.Elements<ulong[]>([ulong.MaxValue], [ulong.MaxValue - 1, ulong.MaxValue]))),
            (40, from sequence in Around(state)
                 from amount in Gen.Frequency(
                     (8, Gen.Choose(1, 8)),
                     (1, Gen.Elements(0, -1, int.MinValue)),
                     (1, Gen.Elements(100, int.MaxValue)))
                 select (LedgerCommand)new LedgerCommand.Read(sequence, amount)),
            (20, Gen.Frequency(
                    (8, Gen.Choose(-(int)state.Length - 2, (int)state.Length + 2).Select(i => (long)i)),
                    (1, Gen.Elements(long.MinValue, long.MaxValue, -1L, 0L)))
                .Select(i => (LedgerCommand)new LedgerCommand.Index(i))),
            (full ? 60 : 25, Around(state).Select(s => (LedgerCommand)new LedgerCommand.Delete(s))),
            (8, Gen.Constant<LedgerCommand>(new LedgerCommand.Reopen())),
            (4, Gen.Constant<LedgerCommand>(new LedgerCommand.ReopenLedgers())),
        };

        if (state.Limit > 0 && !exhausted)
        {
            // monotonic, but more entries than the limit leaves room for
            int room = (int)Math.Max(0, state.Limit - state.Length);
            choices.Add((10, WriteOf(ValidBatch(state, Gen.Choose(room + 1, room + 3)))));
        }

        choices.RemoveAll(choice => choice.Item1 == 0);
        return Gen.Frequency(choices.ToArray());
    }

    // ---- shrinking: drop runs of commands (halves first), then drop entries of a batch, then
    // simplify the options.

    private static IEnumerable<LedgerScenario> Shrink(LedgerScenario scenario)
    {
        foreach (IReadOnlyList<LedgerCommand> commands in CommandShrinks.Of(scenario.Commands, Simpler))
        {
            yield return scenario with { Commands = commands };
        }

        if (scenario.Limit > 0)
        {
            yield return scenario with { Limit = 0 };
        }

        if (scenario.Cache > 1)
        {
            yield return scenario with { Cache = 1 };
        }
    }

    /// <summary>A batch without one of its entries, a simpler power loss, a shorter read.</summary>
    private static IEnumerable<LedgerCommand> Simpler(LedgerCommand command) => command switch
    {
        LedgerCommand.Write { Sequences.Count: > 0 } write => Enumerable.Range(0, write.Sequences.Count)
            .Select(j => (LedgerCommand)new LedgerCommand.Write([.. write.Sequences.Take(j), .. write.Sequences.Skip(j + 1)])),
        LedgerCommand.PowerLossDuring during => ShrinkPowerLoss(during),
        LedgerCommand.PowerLoss loss => PowerLossSteps.Shrink(loss.Mode).Select(mode => (LedgerCommand)new LedgerCommand.PowerLoss(mode)),
        LedgerCommand.Read { Amount: > 1 } read => [read with { Amount = read.Amount == int.MaxValue ? 100 : read.Amount / 2 }],
        _ => [],
    };

    /// <summary>The call alone, the power lost earlier in it, or lost more simply.</summary>
    private static IEnumerable<LedgerCommand> ShrinkPowerLoss(LedgerCommand.PowerLossDuring during)
    {
        yield return during.Call;
        if (during.AtChange > 0)
        {
            yield return during with { AtChange = during.AtChange / 2 };
        }

        foreach (PowerLossMode mode in PowerLossSteps.Shrink(during.Mode))
        {
            yield return during with { Mode = mode };
        }
    }
}
