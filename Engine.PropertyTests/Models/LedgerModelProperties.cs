using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a ledger; prints like the call it stands for.</summary>
public abstract record LedgerCommand
{
    public sealed record Write(IReadOnlyList<ulong> Sequences) : LedgerCommand
    {
        public override string ToString() => $"Write[{string.Join(",", Sequences)}]";
    }

    public sealed record Read(ulong Sequence, int Amount) : LedgerCommand
    {
        public override string ToString() => $"Read({Sequence}, {Amount})";
    }

    public sealed record Index(long Position) : LedgerCommand
    {
        public override string ToString() => $"Index({Position})";
    }

    public sealed record Delete(ulong Sequence) : LedgerCommand
    {
        public override string ToString() => $"Delete({Sequence})";
    }

    /// <summary>Disposes the Db and opens it (and the ledgers) again on the same directory.</summary>
    public sealed record Reopen : LedgerCommand
    {
        public override string ToString() => "Reopen";
    }

    /// <summary>Disposes the ledgers only and opens them again on the same Db.</summary>
    public sealed record ReopenLedgers : LedgerCommand
    {
        public override string ToString() => "ReopenLedgers";
    }
}

/// <summary>A command sequence plus the options it runs with.</summary>
public sealed record LedgerScenario(long SegmentSize, int Cache, long Limit, IReadOnlyList<LedgerCommand> Commands)
{
    public override string ToString() =>
        $"SegmentSize={SegmentSize}, Cache={Cache}, Limit={Limit}: " + string.Join("; ", Commands);
}

/// <summary>
/// The reference model of a ledger, written from API.md and its Clarifications: a sorted list of
/// entries plus Head and Tail.
/// </summary>
internal sealed class LedgerModel
{
    private readonly List<Entry> entries;

    public LedgerModel(long limit)
        : this(limit, [], 0, 0)
    {
    }

    private LedgerModel(long limit, List<Entry> entries, ulong head, ulong tail)
    {
        Limit = limit;
        this.entries = entries;
        Head = head;
        Tail = tail;
    }

    public long Limit { get; }

    public ulong Head { get; private set; }

    public ulong Tail { get; private set; }

    public long Length => entries.Count;

    public IReadOnlyList<Entry> Entries => entries;

    public LedgerModel Clone() => new(Limit, [.. entries], Head, Tail);

    /// <summary>Empty: no-op. Then Limit, then monotonicity (the Clarifications' order); all or nothing.</summary>
    public Outcome Write(Entry[] batch)
    {
        if (batch.Length == 0)
        {
            return Outcome.Returned("ok");
        }

        if (Limit > 0 && Length + batch.Length > Limit)
        {
            return Outcome.Throws<LimitReachedException>();
        }

        ulong previous = Head;
        foreach (Entry entry in batch)
        {
            if (entry.Sequence <= previous)
            {
                return Outcome.Throws<NotMonotonicException>();
            }

            previous = entry.Sequence;
        }

        entries.AddRange(batch);
        Head = previous;
        return Outcome.Returned("ok");
    }

    /// <summary>Up to <paramref name="amount"/> live entries from and including <paramref name="sequence"/>.</summary>
    public Outcome Read(ulong sequence, int amount) =>
        amount < 1
            ? Outcome.Throws<ArgumentOutOfRangeException>()
            : Outcome.Returned(Render(entries.Where(e => e.Sequence >= sequence).Take(amount)));

    /// <summary>0 = oldest, -1 = newest; not found: (Head, false).</summary>
    public Outcome Index(long index)
    {
        long position = index < 0 ? Length + index : index;
        bool found = position >= 0 && position < Length;
        return Outcome.Returned(Render(found ? entries[(int)position].Sequence : Head, found));
    }

    /// <summary>
    /// If not empty and min(sequence, Head) &gt; Tail: Tail becomes min(sequence, Head) and every entry at
    /// or below it goes; otherwise nothing changes and 0 is returned.
    /// </summary>
    public Outcome Delete(ulong sequence)
    {
        ulong newTail = Math.Min(sequence, Head);
        if (entries.Count == 0 || newTail <= Tail)
        {
            return Outcome.Returned("0");
        }

        int removed = entries.RemoveAll(e => e.Sequence <= newTail);
        Tail = newTail;
        return Outcome.Returned(removed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A reopened ledger has nothing cached: no entry can carry its Object any more.</summary>
    public void Reopened()
    {
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i] = entries[i] with { Object = null };
        }
    }

    public object? ObjectOf(ulong sequence) => entries.Find(e => e.Sequence == sequence).Object;

    public static string Render(IEnumerable<Entry> entries) =>
        "[" + string.Join(", ", entries.Select(e => $"{e.Sequence}:{Encoding.ASCII.GetString(e.Payload.Span)}")) + "]";

    public static string Render(ulong sequence, bool found) => $"({sequence}, {found})";
}

public class LedgerModelProperties
{
    private const int MaxCommands = 40;

    // ---- generation: commands are drawn from the model state reached so far, so that most writes
    // are valid and reads, deletes and indexes land around the live range.

    private static readonly Gen<LedgerScenario> Scenarios =
        from segmentSize in Gen.Choose(64, 512)
        from cache in Gen.Choose(1, 12)
        from limit in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 25)))
        from count in Gen.Choose(1, MaxCommands)
        from commands in CommandLists.From(new LedgerModel(limit), count, CommandFor, After)
        select new LedgerScenario(segmentSize, cache, limit, commands);

    private static LedgerModel After(LedgerModel state, LedgerCommand command)
    {
        LedgerModel next = state.Clone();
        switch (command)
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
        IReadOnlyList<LedgerCommand> commands = scenario.Commands;
        foreach (IReadOnlyList<LedgerCommand> shorter in CommandLists.WithoutRuns(commands))
        {
            yield return scenario with { Commands = shorter };
        }

        for (int i = 0; i < commands.Count; i++)
        {
            if (commands[i] is LedgerCommand.Write { Sequences.Count: > 0 } write)
            {
                for (int j = 0; j < write.Sequences.Count; j++)
                {
                    var copy = commands.ToList();
                    copy[i] = new LedgerCommand.Write([.. write.Sequences.Take(j), .. write.Sequences.Skip(j + 1)]);
                    yield return scenario with { Commands = copy };
                }
            }
            else if (commands[i] is LedgerCommand.Read { Amount: > 1 } read)
            {
                var copy = commands.ToList();
                copy[i] = read with { Amount = read.Amount == int.MaxValue ? 100 : read.Amount / 2 };
                yield return scenario with { Commands = copy };
            }
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

    private static readonly Arbitrary<LedgerScenario> Arbitrary = Arb.From(Scenarios, Shrink);

    // ---- running: one Db, two ledgers on it (Cache = 0 and Cache = scenario.Cache), both compared
    // with the model after every step.

    private sealed class Host(string directory, LedgerScenario scenario) : IDisposable
    {
        private Db? db;

        public (string Name, Ledger Ledger)[] Ledgers { get; private set; } = [];

        public void Open()
        {
            db = Db.Open(directory, new DbOptions { SegmentSize = scenario.SegmentSize });
            OpenLedgers();
        }

        /// <summary>Closes the Db, checks its files with the consistency checker, and opens it again.</summary>
        public void Reopen()
        {
            db?.Dispose();
            Ledgers = [];
            StoreCheck.AssertNoErrors(directory, "closed for a reopen");
            Open();
        }

        public void ReopenLedgers()
        {
            foreach ((_, Ledger ledger) in Ledgers)
            {
                ledger.Dispose();
            }

            Ledgers = [];
            OpenLedgers();
        }

        private void OpenLedgers()
        {
            Ledgers =
            [
                ("plain ledger", Ledger.Open(db!, new LedgerOptions { Prefix = "plain", Limit = scenario.Limit })),
                ($"cached ledger (Cache={scenario.Cache})", Ledger.Open(db!, new LedgerOptions { Prefix = "cached", Cache = scenario.Cache, Limit = scenario.Limit })),
            ];
        }

        public void Dispose() => db?.Dispose();
    }

    /// <summary>A payload naming the sequence and the step that wrote it, padded so batches cross segments.</summary>
    private static Entry NewEntry(ulong sequence, int step)
    {
        string text = $"{sequence}@{step}" + new string((char)('a' + (int)(sequence % 26)), (int)(sequence % 4) * 5);
        return new Entry(sequence, Encoding.ASCII.GetBytes(text), $"object {sequence}@{step}");
    }

    private static void Run(LedgerScenario scenario)
    {
        using var temp = new TempDirectory();
        var model = new LedgerModel(scenario.Limit);
        using var host = new Host(temp.Path, scenario);
        host.Open();
        CheckState(model, host, "after open");

        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            LedgerCommand command = scenario.Commands[step];
            string where = $"step {step} ({command})";
            switch (command)
            {
                case LedgerCommand.Write write:
                    Entry[] batch = [.. write.Sequences.Select(s => NewEntry(s, step))];
                    Outcome expectedWrite = model.Write([.. batch.Select(e => e with { Payload = e.Payload.ToArray() })]);
                    foreach ((string name, Ledger ledger) in host.Ledgers)
                    {
                        expectedWrite.AssertMatches(Outcome.Of(() =>
                        {
                            ledger.Write(batch);
                            return "ok";
                        }), $"{where} on the {name}");
                    }

                    // The caller may reuse its payload buffers once Write returns.
                    foreach (Entry entry in batch)
                    {
                        MemoryMarshalFill(entry.Payload, (byte)'#');
                    }

                    break;

                case LedgerCommand.Read read:
                    Outcome expectedRead = model.Read(read.Sequence, read.Amount);
                    foreach ((string name, Ledger ledger) in host.Ledgers)
                    {
                        expectedRead.AssertMatches(Outcome.Of(() =>
                        {
                            IReadOnlyList<Entry> got = ledger.Read(read.Sequence, read.Amount);
                            CheckObjects(model, got, $"{where} on the {name}");
                            return LedgerModel.Render(got);
                        }), $"{where} on the {name}");
                    }

                    break;

                case LedgerCommand.Index index:
                    Outcome expectedIndex = model.Index(index.Position);
                    foreach ((string name, Ledger ledger) in host.Ledgers)
                    {
                        expectedIndex.AssertMatches(Outcome.Of(() =>
                        {
                            (ulong sequence, bool found) = ledger.Index(index.Position);
                            return LedgerModel.Render(sequence, found);
                        }), $"{where} on the {name}");
                    }

                    break;

                case LedgerCommand.Delete delete:
                    Outcome expectedDelete = model.Delete(delete.Sequence);
                    foreach ((string name, Ledger ledger) in host.Ledgers)
                    {
                        expectedDelete.AssertMatches(
                            Outcome.Of(() => ledger.Delete(delete.Sequence).ToString(CultureInfo.InvariantCulture)),
                            $"{where} on the {name}");
                    }

                    break;

                case LedgerCommand.Reopen:
                    host.Reopen();
                    model.Reopened();
                    break;

                case LedgerCommand.ReopenLedgers:
                    host.ReopenLedgers();
                    model.Reopened();
                    break;

                default:
                    throw new InvalidOperationException($"unknown command {command}");
            }

            CheckState(model, host, $"after {where}");
        }

        host.Dispose();
        StoreCheck.AssertNoErrors(temp.Path, "at the end of the run");
    }

    private static void MemoryMarshalFill(ReadOnlyMemory<byte> payload, byte value)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> segment))
        {
            segment.AsSpan().Fill(value);
        }
    }

    /// <summary>Entries served from a cache carry the Object they were written with; nothing else may appear there.</summary>
    private static void CheckObjects(LedgerModel model, IReadOnlyList<Entry> got, string where)
    {
        foreach (Entry entry in got)
        {
            if (entry.Object is not null && !Equals(entry.Object, model.ObjectOf(entry.Sequence)))
            {
                Assert.Fail($"{where}: entry {entry.Sequence} carries the object '{entry.Object}', expected '{model.ObjectOf(entry.Sequence)}' or none");
            }
        }
    }

    /// <summary>Length, Head, Tail and the whole live content agree with the model.</summary>
    private static void CheckState(LedgerModel model, Host host, string where)
    {
        string expected = $"Length={model.Length}, Head={model.Head}, Tail={model.Tail}";
        string expectedContent = LedgerModel.Render(model.Entries);
        foreach ((string name, Ledger ledger) in host.Ledgers)
        {
            string actual = $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}";
            Assert.True(actual == expected, $"{where} on the {name}: {actual}, model {expected}");
            IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
            CheckObjects(model, all, $"{where} on the {name}");
            string content = LedgerModel.Render(all);
            Assert.True(content == expectedContent, $"{where} on the {name}: holds {content}, model {expectedContent}");
        }
    }

    [QuasarProperty]
    public Property Ledger_behaves_like_the_model_with_and_without_cache() => Prop.ForAll(Arbitrary, Run);
}
