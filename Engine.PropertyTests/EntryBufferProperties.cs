using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests;

/// <summary>One step against an <see cref="EntryBuffer"/>; prints like the call it stands for.</summary>
public abstract record BufferCommand
{
    public sealed record Push(IReadOnlyList<ulong> Sequences) : BufferCommand
    {
        public override string ToString() => $"Push({string.Join(", ", Sequences)})";
    }

    public sealed record Trim(ulong AtMost) : BufferCommand
    {
        public override string ToString() => $"Trim(seq <= {AtMost})";
    }

    public sealed record Get(int Index) : BufferCommand
    {
        public override string ToString() => $"TryGet({Index})";
    }

    public sealed record Scan(int StopAfter) : BufferCommand
    {
        public override string ToString() => $"Scan(stop after {StopAfter})";
    }

    public sealed record Clear : BufferCommand
    {
        public override string ToString() => "Clear()";
    }
}

public sealed record BufferScenario(int Capacity, IReadOnlyList<BufferCommand> Commands)
{
    public override string ToString() =>
        $"new EntryBuffer({Capacity}); " + string.Join("; ", Commands);
}

public class EntryBufferProperties
{
    private static readonly Gen<BufferCommand> Commands = Gen.Frequency(
        (5, from count in Gen.Choose(1, 10)
            from sequences in Gen.ArrayOf(Gen.Choose(1, 20).Select(s => (ulong)s), count)
            select (BufferCommand)new BufferCommand.Push(sequences)),
        (2, Gen.Choose(0, 21).Select(x => (BufferCommand)new BufferCommand.Trim((ulong)x))),
        (3, Gen.Frequency(
                (4, Gen.Choose(-10, 10)),
                (1, Gen.Elements(int.MinValue, int.MinValue + 1, int.MaxValue)))
            .Select(i => (BufferCommand)new BufferCommand.Get(i))),
        (2, Gen.Choose(1, 10).Select(k => (BufferCommand)new BufferCommand.Scan(k))),
        (1, Gen.Constant((BufferCommand)new BufferCommand.Clear())));

    private static readonly Gen<BufferScenario> Scenarios =
        from capacity in Gen.Choose(1, 8)
        from commands in Gen.ListOf(Commands)
        select new BufferScenario(capacity, commands);

    private static IEnumerable<BufferScenario> Shrink(BufferScenario scenario)
    {
        for (int i = 0; i < scenario.Commands.Count; i++)
        {
            yield return scenario with { Commands = [.. scenario.Commands.Take(i), .. scenario.Commands.Skip(i + 1)] };
        }

        if (scenario.Capacity > 1)
        {
            yield return scenario with { Capacity = scenario.Capacity - 1 };
        }

        for (int i = 0; i < scenario.Commands.Count; i++)
        {
            if (scenario.Commands[i] is BufferCommand.Push { Sequences.Count: > 1 } push)
            {
                var commands = scenario.Commands.ToList();
                commands[i] = new BufferCommand.Push(push.Sequences.Skip(1).ToArray());
                yield return scenario with { Commands = commands };
            }
        }
    }

    private static readonly Arbitrary<BufferScenario> Arbitrary = Arb.From(Scenarios, Shrink);

    private static Entry NewEntry(ulong sequence, int serial) =>
        new(sequence, new byte[] { (byte)sequence, (byte)serial }, $"object #{serial}");

    private static string Show(IEnumerable<Entry> entries) =>
        "[" + string.Join(", ", entries.Select(e => $"{e.Sequence}/{e.Object}")) + "]";

    /// <summary>Runs the scenario against the buffer and a List model; throws at the first difference.</summary>
    private static void Run(BufferScenario scenario)
    {
        var buffer = new EntryBuffer(scenario.Capacity);
        var model = new List<Entry>();
        int serial = 0;

        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            var command = scenario.Commands[step];
            string where = $"step {step} ({command})";
            switch (command)
            {
                case BufferCommand.Push push:
                    var entries = push.Sequences.Select(s => NewEntry(s, serial++)).ToArray();
                    buffer.Push(entries);
                    model.AddRange(entries);
                    model.RemoveRange(0, Math.Max(0, model.Count - scenario.Capacity));
                    break;

                case BufferCommand.Trim trim:
                    buffer.Trim(e => e.Sequence <= trim.AtMost);
                    int drop = model.TakeWhile(e => e.Sequence <= trim.AtMost).Count();
                    model.RemoveRange(0, drop);
                    break;

                case BufferCommand.Get get:
                    bool found = buffer.TryGet(get.Index, out Entry got);
                    long position = get.Index < 0 ? (long)get.Index + model.Count : get.Index;
                    bool expectedFound = position >= 0 && position < model.Count;
                    Assert.True(found == expectedFound, $"{where}: TryGet returned {found}, model says {expectedFound}");
                    Assert.True(got == (expectedFound ? model[(int)position] : default), $"{where}: TryGet gave {Show([got])}");
                    break;

                case BufferCommand.Scan scan:
                    var visited = new List<Entry>();
                    buffer.Scan(e =>
                    {
                        visited.Add(e);
                        return visited.Count < scan.StopAfter;
                    });
                    var expectedVisits = model.Take(scan.StopAfter).ToList();
                    Assert.True(visited.SequenceEqual(expectedVisits), $"{where}: visited {Show(visited)}, model {Show(expectedVisits)}");
                    break;

                case BufferCommand.Clear:
                    buffer.Clear();
                    model.Clear();
                    break;

                default:
                    throw new InvalidOperationException($"unknown command {command}");
            }

            Assert.True(buffer.Capacity == scenario.Capacity, $"{where}: Capacity is {buffer.Capacity}");
            Assert.True(buffer.Count == model.Count, $"{where}: Count is {buffer.Count}, model has {model.Count}");
            var all = new List<Entry>();
            buffer.Scan(e =>
            {
                all.Add(e);
                return true;
            });
            Assert.True(all.SequenceEqual(model), $"{where}: buffer holds {Show(all)}, model {Show(model)}");
            for (int i = 0; i < model.Count; i++)
            {
                Assert.True(buffer.TryGet(i, out Entry byIndex) && byIndex == model[i], $"{where}: TryGet({i}) disagrees with the model");
                Assert.True(buffer.TryGet(i - model.Count, out Entry byNegative) && byNegative == model[i], $"{where}: TryGet({i - model.Count}) disagrees with the model");
            }
        }
    }

    [QuasarProperty]
    public Property EntryBuffer_behaves_like_a_bounded_list() => Prop.ForAll(Arbitrary, Run);

    [QuasarProperty]
    public Property EntryBuffer_never_holds_more_than_its_capacity() =>
        Prop.ForAll(Arbitrary, scenario =>
        {
            var buffer = new EntryBuffer(scenario.Capacity);
            int serial = 0;
            foreach (var push in scenario.Commands.OfType<BufferCommand.Push>())
            {
                buffer.Push(push.Sequences.Select(s => NewEntry(s, serial++)).ToArray());
                Assert.InRange(buffer.Count, 1, scenario.Capacity);
                Assert.True(buffer.TryGet(-1, out Entry newest));
                Assert.Equal(push.Sequences[^1], newest.Sequence);
            }
        });
}
