using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a mark window; prints like the call it stands for.</summary>
public abstract record MarkWindowCommand
{
    /// <summary>A delivered entry (unmarked) or a restored position (marked) above P.</summary>
    public sealed record Add(ulong Sequence, bool IsMarked) : MarkWindowCommand
    {
        public override string ToString() => $"Add({Sequence}{(IsMarked ? ", marked" : string.Empty)})";
    }

    public sealed record Mark(ulong Sequence, bool Cumulative) : MarkWindowCommand
    {
        public override string ToString() => $"Mark({Sequence}{(Cumulative ? ", cumulative" : string.Empty)})";
    }

    public sealed record SkipTo(ulong Position) : MarkWindowCommand
    {
        public override string ToString() => $"SkipTo({Position})";
    }

    /// <summary>The reader has read every ledger entry up to the sequence.</summary>
    public sealed record Reach(ulong Sequence) : MarkWindowCommand
    {
        public override string ToString() => $"Reach({Sequence})";
    }

    public sealed record Contains(ulong Sequence) : MarkWindowCommand
    {
        public override string ToString() => $"Contains({Sequence})";
    }
}

/// <summary>A command sequence plus the window's starting position and capacity.</summary>
public sealed record MarkWindowScenario(ulong Position, int Capacity, IReadOnlyList<MarkWindowCommand> Commands)
{
    public override string ToString() =>
        $"Position={Position}, Capacity={Capacity}: " + string.Join("; ", Commands);
}

/// <summary>
/// The reference model of a mark window, written from its contract: P, how far the reader has
/// read, and a sorted dictionary of the entries above P (sequence -> marked).
/// </summary>
internal sealed class MarkWindowModel
{
    private readonly SortedDictionary<ulong, bool> entries;

    public MarkWindowModel(ulong position)
        : this(position, position, [])
    {
    }

    private MarkWindowModel(ulong position, ulong reached, SortedDictionary<ulong, bool> entries)
    {
        Position = position;
        Reached = reached;
        this.entries = entries;
    }

    /// <summary>P: every entry up to it is done.</summary>
    public ulong Position { get; private set; }

    /// <summary>The reader has read every ledger entry up to it (it starts at P).</summary>
    public ulong Reached { get; private set; }

    public int Count => entries.Count;

    /// <summary>The largest sequence the window knows: its last entry, else P.</summary>
    public ulong Top => entries.Count == 0 ? Position : entries.Keys.Last();

    public IEnumerable<ulong> Sequences => entries.Keys;

    public MarkWindowModel Clone() => new(Position, Reached, new SortedDictionary<ulong, bool>(entries));

    /// <summary>Add's contract: a sequence above P that the window does not hold yet.</summary>
    public bool CanAdd(ulong sequence) => sequence > Position && !entries.ContainsKey(sequence);

    public void Add(ulong sequence, bool isMarked) => entries.Add(sequence, isMarked);

    public bool Contains(ulong sequence) => entries.ContainsKey(sequence);

    /// <summary>Marks the entry (and every one below it when cumulative), then moves P over the done prefix; false when absent.</summary>
    public bool Mark(ulong sequence, bool cumulative)
    {
        if (!entries.ContainsKey(sequence))
        {
            return false;
        }

        foreach (ulong below in entries.Keys.Where(k => cumulative && k < sequence).ToList())
        {
            entries[below] = true;
        }

        entries[sequence] = true;
        MoveOverDone();
        return true;
    }

    /// <summary>The reader read up to <paramref name="sequence"/>; P moves over the done prefix.</summary>
    public void Reach(ulong sequence)
    {
        Reached = Math.Max(Reached, sequence);
        MoveOverDone();
    }

    /// <summary>Drops every entry at or below <paramref name="position"/>; P becomes the larger of the two.</summary>
    public void SkipTo(ulong position)
    {
        foreach (ulong gone in entries.Keys.Where(k => k <= position).ToList())
        {
            entries.Remove(gone);
        }

        Position = Math.Max(Position, position);
    }

    /// <summary>
    /// While the first entry is done, P moves to it. An entry is done when it is marked and no
    /// entry the reader has not read can lie between P and it: every sequence in between is at or
    /// below <see cref="Reached"/> (or there is none).
    /// </summary>
    private void MoveOverDone()
    {
        while (entries.Count > 0 && entries.First().Value && entries.First().Key - 1 <= Math.Max(Position, Reached))
        {
            Position = entries.First().Key;
            entries.Remove(Position);
        }
    }

    /// <summary>
    /// Everything the window knows: P (marked), every entry above it, and every sequence below the
    /// top that the reader has not read and the window does not hold (unmarked: the ledger may hold
    /// an entry there that is not delivered yet).
    /// </summary>
    public Dictionary<ulong, bool> AllMarks()
    {
        var marks = new Dictionary<ulong, bool>(entries) { [Position] = true };
        for (ulong sequence = Math.Max(Position, Reached); sequence < Top && sequence + 1 < Top;)
        {
            marks.TryAdd(++sequence, false);
        }

        return marks;
    }

    /// <summary>
    /// What ToMarks documents it returns: P and every marked entry (marked), and the first
    /// sequence above P that is not done (unmarked), if any below the top: an unmarked entry, or
    /// one the reader has not read and the window does not hold.
    /// </summary>
    public Dictionary<ulong, bool> DocumentedMarks()
    {
        var marks = new Dictionary<ulong, bool> { [Position] = true };
        foreach (ulong sequence in entries.Where(e => e.Value).Select(e => e.Key))
        {
            marks[sequence] = true;
        }

        for (ulong sequence = Position; sequence < Top;)
        {
            sequence++;
            bool done = entries.TryGetValue(sequence, out bool marked) ? marked : sequence <= Reached;
            if (!done)
            {
                marks[sequence] = false;
                break;
            }
        }

        return marks;
    }

    public static string Render(IReadOnlyDictionary<ulong, bool> marks) =>
        "{" + string.Join(", ", marks.OrderBy(m => m.Key).Select(m => $"{m.Key}:{(m.Value ? 'T' : 'F')}")) + "}";

    public static string Render(ulong[] positions) =>
        "[" + string.Join(", ", positions.Select(p => p.ToString(CultureInfo.InvariantCulture))) + "]";
}

public class MarkWindowModelProperties
{
    private const int MaxCommands = 60;

    // ---- generation: commands are drawn from the model state reached so far: deliveries
    // appended above everything, restored positions inserted in the gaps, marks mostly of
    // entries the window holds, skips and the reader's progress around P.

    private static readonly Gen<MarkWindowScenario> Scenarios =
        from position in Gen.Frequency(
            (3, Gen.Constant(0UL)),
            (6, Gen.Choose(1, 1_000).Select(x => (ulong)x)),
            (1, Gen.Choose(2 * MaxCommands, 4 * MaxCommands).Select(x => ulong.MaxValue - (ulong)x)))
        from capacity in Gen.Frequency((3, Gen.Choose(1, 4)), (1, Gen.Choose(5, 16)))
        from count in Gen.Choose(1, MaxCommands)
        from commands in CommandLists.From(new MarkWindowModel(position), count, CommandFor, After)
        select new MarkWindowScenario(position, capacity, commands);

    private static MarkWindowModel After(MarkWindowModel state, MarkWindowCommand command)
    {
        MarkWindowModel next = state.Clone();
        Apply(next, command);
        return next;
    }

    /// <summary>Applies a command to the model; an Add outside its contract (possible after shrinking) is skipped.</summary>
    private static void Apply(MarkWindowModel model, MarkWindowCommand command)
    {
        switch (command)
        {
            case MarkWindowCommand.Add add when model.CanAdd(add.Sequence):
                model.Add(add.Sequence, add.IsMarked);
                break;
            case MarkWindowCommand.Mark mark:
                model.Mark(mark.Sequence, mark.Cumulative);
                break;
            case MarkWindowCommand.SkipTo skip:
                model.SkipTo(skip.Position);
                break;
            case MarkWindowCommand.Reach reach:
                model.Reach(reach.Sequence);
                break;
        }
    }

    /// <summary>The sequences between P and the top the window does not hold: where a restored position can go.</summary>
    private static List<ulong> Gaps(MarkWindowModel state)
    {
        var gaps = new List<ulong>();
        for (ulong sequence = state.Position + 1; sequence < state.Top && gaps.Count < 64; sequence++)
        {
            if (!state.Contains(sequence))
            {
                gaps.Add(sequence);
            }
        }

        return gaps;
    }

    /// <summary>Around the window: from a little below P to a little above the top.</summary>
    private static Gen<ulong> Around(MarkWindowModel state)
    {
        ulong low = state.Position > 3 ? state.Position - 3 : 0;
        ulong high = state.Top > ulong.MaxValue - 3 ? ulong.MaxValue : state.Top + 3;
        return Gen.Choose(0, (int)Math.Min(high - low, 10_000)).Select(x => low + (ulong)x);
    }

    private static Gen<MarkWindowCommand> CommandFor(MarkWindowModel state)
    {
        List<ulong> gaps = Gaps(state);
        ulong[] held = [.. state.Sequences];
        bool roomAbove = state.Top <= ulong.MaxValue - 3;
        var choices = new List<(int, Gen<MarkWindowCommand>)>
        {
            (8, Around(state).Select(s => (MarkWindowCommand)new MarkWindowCommand.Contains(s))),
            (4, Around(state).Select(s => (MarkWindowCommand)new MarkWindowCommand.Mark(s, false))),
            (5, Around(state).Select(s => (MarkWindowCommand)new MarkWindowCommand.SkipTo(s))),
            (15, Around(state).Select(s => (MarkWindowCommand)new MarkWindowCommand.Reach(s))),
        };

        if (roomAbove)
        {
            choices.Add((35, Gen.Frequency((4, Gen.Constant(1UL)), (1, Gen.Choose(2, 3).Select(x => (ulong)x)))
                .Select(gap => (MarkWindowCommand)new MarkWindowCommand.Add(state.Top + gap, IsMarked: false))));
        }

        if (gaps.Count > 0)
        {
            choices.Add((10, from sequence in Gen.Elements(gaps.ToArray())
                             from marked in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
                             select (MarkWindowCommand)new MarkWindowCommand.Add(sequence, marked)));
        }

        if (held.Length > 0)
        {
            choices.Add((35, from sequence in Gen.Elements(held)
                             from cumulative in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
                             select (MarkWindowCommand)new MarkWindowCommand.Mark(sequence, cumulative)));
        }

        return Gen.Frequency(choices.ToArray());
    }

    // ---- shrinking: drop runs of commands (halves first), then make marks plain, restored
    // positions deliveries, and the capacity the smallest.

    private static IEnumerable<MarkWindowScenario> Shrink(MarkWindowScenario scenario)
    {
        IReadOnlyList<MarkWindowCommand> commands = scenario.Commands;
        foreach (IReadOnlyList<MarkWindowCommand> shorter in CommandLists.WithoutRuns(commands))
        {
            yield return scenario with { Commands = shorter };
        }

        for (int i = 0; i < commands.Count; i++)
        {
            MarkWindowCommand? simpler = commands[i] switch
            {
                MarkWindowCommand.Mark { Cumulative: true } mark => mark with { Cumulative = false },
                MarkWindowCommand.Add { IsMarked: true } add => add with { IsMarked = false },
                _ => null,
            };
            if (simpler is not null)
            {
                var copy = commands.ToList();
                copy[i] = simpler;
                yield return scenario with { Commands = copy };
            }
        }

        if (scenario.Capacity > 1)
        {
            yield return scenario with { Capacity = 1 };
        }
    }

    private static readonly Arbitrary<MarkWindowScenario> Arbitrary = Arb.From(Scenarios, Shrink);

    // ---- running: the window and the model take every step; what each returns and the whole
    // state are compared after every step.

    /// <summary>What a call that returns nothing must come to: no exception.</summary>
    private static readonly Outcome Done = Outcome.Returned("done");

    /// <summary>Runs a call that returns nothing and records whether it threw.</summary>
    private static Outcome Doing(Action call) => Outcome.Of(() =>
    {
        call();
        return "done";
    });

    private static void Run(MarkWindowScenario scenario)
    {
        var model = new MarkWindowModel(scenario.Position);
        var window = new MarkWindow(scenario.Position, scenario.Capacity);
        CheckState(model, window, "after construction");

        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            MarkWindowCommand command = scenario.Commands[step];
            string where = $"step {step} ({command})";
            switch (command)
            {
                case MarkWindowCommand.Add add:
                    if (!model.CanAdd(add.Sequence))
                    {
                        continue; // outside Add's contract: only reachable after shrinking dropped an earlier step
                    }

                    model.Add(add.Sequence, add.IsMarked);
                    Done.AssertMatches(Doing(() => window.Add(add.Sequence, add.IsMarked)), where);
                    break;

                case MarkWindowCommand.Mark mark:
                    Outcome expectedMark = Outcome.Returned(model.Mark(mark.Sequence, mark.Cumulative).ToString());
                    expectedMark.AssertMatches(Outcome.Of(() => window.Mark(mark.Sequence, mark.Cumulative).ToString()), where);
                    break;

                case MarkWindowCommand.SkipTo skip:
                    model.SkipTo(skip.Position);
                    Done.AssertMatches(Doing(() => window.SkipTo(skip.Position)), where);
                    break;

                case MarkWindowCommand.Reach reach:
                    model.Reach(reach.Sequence);
                    Done.AssertMatches(Doing(() => window.Reach(reach.Sequence)), where);
                    break;

                case MarkWindowCommand.Contains contains:
                    Outcome expectedContains = Outcome.Returned(model.Contains(contains.Sequence).ToString());
                    expectedContains.AssertMatches(Outcome.Of(() => window.Contains(contains.Sequence).ToString()), where);
                    break;

                default:
                    throw new InvalidOperationException($"unknown command {command}");
            }

            CheckState(model, window, $"after {where}");
        }
    }

    /// <summary>
    /// P, Count, which sequences the window holds, the mark table it hands to Compile, and that
    /// the table compiles to the same positions as everything the model knows.
    /// </summary>
    private static void CheckState(MarkWindowModel model, MarkWindow window, string where)
    {
        string expected = $"Position={model.Position}, Count={model.Count}, Reached={model.Reached}";
        string actual = $"Position={window.Position}, Count={window.Count}, Reached={window.Reached}";
        Assert.True(actual == expected, $"{where}: window {actual}, model {expected}");

        foreach (ulong sequence in model.Sequences)
        {
            Assert.True(window.Contains(sequence), $"{where}: the window lost {sequence}");
        }

        Assert.False(window.Contains(model.Position), $"{where}: the window holds P ({model.Position})");

        Dictionary<ulong, bool> marks = window.ToMarks();
        string expectedMarks = MarkWindowModel.Render(model.DocumentedMarks());
        string actualMarks = MarkWindowModel.Render(marks);
        Assert.True(actualMarks == expectedMarks, $"{where}: ToMarks gave {actualMarks}, model {expectedMarks}");

        string expectedPositions = MarkWindowModel.Render(Sequence.Compile(model.AllMarks()));
        string actualPositions = MarkWindowModel.Render(Sequence.Compile(marks));
        Assert.True(actualPositions == expectedPositions, $"{where}: ToMarks compiles to {actualPositions}, everything known to {expectedPositions}");
    }

    [QuasarProperty]
    public Property MarkWindow_behaves_like_a_sorted_dictionary_above_P() => Prop.ForAll(Arbitrary, Run);
}
