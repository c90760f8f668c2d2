using System.Globalization;
using System.Text;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// One run of a ledger scenario (<see cref="ModelRun{TStore, TModel, TOutcomes, TCommand}"/>): two
/// ledgers on one Db, Cache = 0 and Cache = scenario.Cache, each compared with its own model after
/// every step; after a power loss each must have recovered to one of the states its
/// <see cref="LedgerOutcomes"/> allow.
/// </summary>
internal sealed class LedgerRun : ModelRun<Ledger, LedgerModel, LedgerOutcomes, LedgerCommand>
{
    private readonly LedgerScenario scenario;

    private LedgerRun(LedgerScenario scenario, bool powerLoss)
        : base(
            powerLoss,
            new DbOptions { SegmentSize = scenario.SegmentSize, SyncWrites = scenario.SyncWrites },
            db =>
            [
                ("plain ledger", Ledger.Open(db, new LedgerOptions { Prefix = "plain", Limit = scenario.Limit })),
                ($"cached ledger (Cache={scenario.Cache})", Ledger.Open(db, new LedgerOptions { Prefix = "cached", Cache = scenario.Cache, Limit = scenario.Limit })),
            ],
            () => new LedgerModel(scenario.Limit),
            model => new LedgerOutcomes(model.Clone()))
    {
        this.scenario = scenario;
    }

    public static void Execute(LedgerScenario scenario, bool powerLoss)
    {
        using var run = new LedgerRun(scenario, powerLoss);
        run.Execute(scenario.Commands, nameof(LedgerRun) + (scenario.SyncWrites ? " with SyncWrites" : string.Empty));
    }

    protected override void Call(int step, LedgerCommand command, string where)
    {
        switch (command)
        {
            case LedgerCommand.Write write:
                Entry[] batch = [.. write.Sequences.Select(s => NewEntry(s, step))];
                Entry[] copy = [.. batch.Select(e => e with { Payload = e.Payload.ToArray() })];
                ForEachStore(where, (i, ledger) => (Models[i].Write(copy), Outcome.Of(() =>
                {
                    ledger.Write(batch);
                    return "ok";
                })), (i, acknowledged) => Outcomes[i].Wrote(copy, acknowledged && scenario.SyncWrites));

                // The caller may reuse its payload buffers once Write returns.
                foreach (Entry entry in batch)
                {
                    MemoryMarshalFill(entry.Payload, (byte)'#');
                }

                break;

            case LedgerCommand.Read read:
                ForEachStore(where, (i, ledger) => (Models[i].Read(read.Sequence, read.Amount), Outcome.Of(() =>
                {
                    IReadOnlyList<Entry> got = ledger.Read(read.Sequence, read.Amount);
                    CheckObjects(Models[i], got, where);
                    return LedgerModel.Render(got);
                })), null);
                break;

            case LedgerCommand.Index index:
                ForEachStore(where, (i, ledger) => (Models[i].Index(index.Position), Outcome.Of(() =>
                {
                    (ulong sequence, bool found) = ledger.Index(index.Position);
                    return LedgerModel.Render(sequence, found);
                })), null);
                break;

            case LedgerCommand.Delete delete:
                ForEachStore(
                    where,
                    (i, ledger) => (Models[i].Delete(delete.Sequence), Outcome.Of(() => ledger.Delete(delete.Sequence).ToString(CultureInfo.InvariantCulture))),
                    (i, acknowledged) => Outcomes[i].Deleted(Models[i].Tail, acknowledged && scenario.SyncWrites));
                break;

            case LedgerCommand.Reopen:
                if (Survives(Host.Close, where))
                {
                    Synced(reopened: true);
                    Survives(Host.Open, where);
                }

                break;

            case LedgerCommand.ReopenLedgers:
                if (Survives(Host.ReopenStores, where))
                {
                    Synced(reopened: true);
                }

                break;

            case LedgerCommand.Sync:
                if (Survives(Host.Sync, where))
                {
                    Synced(reopened: false);
                }

                break;

            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
    }

    /// <summary>Everything the models hold is durable now (Db.Sync, or a clean close when <paramref name="reopened"/>: nothing stays cached).</summary>
    private void Synced(bool reopened)
    {
        if (reopened)
        {
            foreach (LedgerModel model in Models)
            {
                model.Reopened();
            }
        }

        Synced();
    }

    protected override string DescribeRecovered(Ledger ledger) =>
        $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}, entries {LedgerModel.Render(ledger.Read(0, int.MaxValue))}";

    /// <summary>A payload naming the sequence and the step that wrote it, padded so batches cross segments.</summary>
    private static Entry NewEntry(ulong sequence, int step)
    {
        string text = $"{sequence}@{step}" + new string((char)('a' + (int)(sequence % 26)), (int)(sequence % 4) * 5);
        return new Entry(sequence, Encoding.ASCII.GetBytes(text), $"object {sequence}@{step}");
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

    /// <summary>Length, Head, Tail and the whole live content of each ledger agree with its model.</summary>
    protected override void CheckState(string where)
    {
        for (int i = 0; i < Models.Length; i++)
        {
            (string name, Ledger ledger) = Host.Stores[i];
            string expected = $"Length={Models[i].Length}, Head={Models[i].Head}, Tail={Models[i].Tail}";
            string actual = $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}";
            Assert.True(actual == expected, $"{where} on the {name}: {actual}, model {expected}");
            IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
            CheckObjects(Models[i], all, $"{where} on the {name}");
            string content = LedgerModel.Render(all);
            string expectedContent = LedgerModel.Render(Models[i].Entries);
            Assert.True(content == expectedContent, $"{where} on the {name}: holds {content}, model {expectedContent}");
        }
    }
}
