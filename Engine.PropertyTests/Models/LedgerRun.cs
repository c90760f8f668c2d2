using System.Globalization;
using System.Text;
using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// One run of a ledger scenario: each ledger is compared with its
/// own model after every step (two ledgers on one Db: Cache = 0 and Cache = scenario.Cache). With power losses the Db runs on a <see cref="PowerLossFileSystem"/>;
/// after a loss the Db is abandoned and opened again, and each ledger must have recovered to one of
/// the states its <see cref="LedgerOutcomes"/> allows, which then becomes its model.
/// </summary>
internal sealed class LedgerRun : IDisposable
{
    private readonly LedgerScenario scenario;
    private readonly TempDirectory temp = new();
    private readonly PowerLossFileSystem? fileSystem;
    private readonly ModelHost<Ledger> host;
    private readonly LedgerModel[] models;
    private readonly LedgerOutcomes[] outcomes;
    private int losses;

    private LedgerRun(LedgerScenario scenario, bool powerLoss)
    {
        this.scenario = scenario;
        fileSystem = powerLoss ? new PowerLossFileSystem() : null;
        host = new ModelHost<Ledger>(
            Path.Combine(temp.Path, "db"),
            new DbOptions { SegmentSize = scenario.SegmentSize, SyncWrites = scenario.SyncWrites, FileSystem = fileSystem },
            db =>
            [
                ("plain ledger", Ledger.Open(db, new LedgerOptions { Prefix = "plain", Limit = scenario.Limit })),
                ($"cached ledger (Cache={scenario.Cache})", Ledger.Open(db, new LedgerOptions { Prefix = "cached", Cache = scenario.Cache, Limit = scenario.Limit })),
            ]);
        host.Open();
        models = [.. host.Stores.Select(_ => new LedgerModel(scenario.Limit))];
        outcomes = [.. models.Select(model => new LedgerOutcomes(model.Clone()))];
    }

    private bool PowerIsOff => fileSystem?.IsOff == true;

    public static void Execute(LedgerScenario scenario, bool powerLoss)
    {
        using var run = new LedgerRun(scenario, powerLoss);
        run.CheckState("after open");
        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            run.Step(step, scenario.Commands[step]);
        }

        run.host.Dispose();
        StoreCheck.AssertNoErrors(run.temp.Path, "at the end of the run");
        if (powerLoss)
        {
            PowerLossSteps.Count(nameof(LedgerRun) + (scenario.SyncWrites ? " with SyncWrites" : string.Empty), scenario.Commands.Count, run.losses);
        }
    }

    public void Dispose()
    {
        host.Dispose();
        temp.Dispose();
    }

    private void Step(int step, LedgerCommand command)
    {
        string where = $"step {step} ({command})";
        switch (command)
        {
            case LedgerCommand.PowerLoss loss:
                fileSystem!.PowerLoss(loss.Mode);
                break;
            case LedgerCommand.PowerLossDuring during:
                fileSystem!.CutAt(during.AtChange, during.Mode);
                Call(step, during.Call, where);
                if (fileSystem.Disarm())
                {
                    fileSystem.PowerLoss(during.Mode);
                }

                break;
            default:
                Call(step, command, where);
                break;
        }

        if (PowerIsOff)
        {
            Recover(where);
        }

        CheckState($"after {where}");
    }

    private void Call(int step, LedgerCommand command, string where)
    {
        switch (command)
        {
            case LedgerCommand.Write write:
                Entry[] batch = [.. write.Sequences.Select(s => NewEntry(s, step))];
                Entry[] copy = [.. batch.Select(e => e with { Payload = e.Payload.ToArray() })];
                ForEachLedger(where, (i, ledger) => (models[i].Write(copy), Outcome.Of(() =>
                {
                    ledger.Write(batch);
                    return "ok";
                })), (i, acknowledged) => outcomes[i].Wrote(copy, acknowledged && scenario.SyncWrites));

                // The caller may reuse its payload buffers once Write returns.
                foreach (Entry entry in batch)
                {
                    MemoryMarshalFill(entry.Payload, (byte)'#');
                }

                break;

            case LedgerCommand.Read read:
                ForEachLedger(where, (i, ledger) => (models[i].Read(read.Sequence, read.Amount), Outcome.Of(() =>
                {
                    IReadOnlyList<Entry> got = ledger.Read(read.Sequence, read.Amount);
                    CheckObjects(models[i], got, where);
                    return LedgerModel.Render(got);
                })), null);
                break;

            case LedgerCommand.Index index:
                ForEachLedger(where, (i, ledger) => (models[i].Index(index.Position), Outcome.Of(() =>
                {
                    (ulong sequence, bool found) = ledger.Index(index.Position);
                    return LedgerModel.Render(sequence, found);
                })), null);
                break;

            case LedgerCommand.Delete delete:
                ForEachLedger(
                    where,
                    (i, ledger) => (models[i].Delete(delete.Sequence), Outcome.Of(() => ledger.Delete(delete.Sequence).ToString(CultureInfo.InvariantCulture))),
                    (i, acknowledged) => outcomes[i].Deleted(models[i].Tail, acknowledged && scenario.SyncWrites));
                break;

            case LedgerCommand.Reopen:
                if (Survives(host.Close, where))
                {
                    Synced(reopened: true);
                    Survives(host.Open, where);
                }

                break;

            case LedgerCommand.ReopenLedgers:
                if (Survives(host.ReopenStores, where))
                {
                    Synced(reopened: true);
                }

                break;

            case LedgerCommand.Sync:
                if (Survives(host.Sync, where))
                {
                    Synced(reopened: false);
                }

                break;

            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
    }

    /// <summary>
    /// Runs one call on each ledger and compares it with the model. Once the power is off, a call
    /// the model expects to succeed may fail with an I/O error instead: it was in flight.
    /// <paramref name="changed"/> hears of each call that may have changed the disk (true: it returned).
    /// </summary>
    private void ForEachLedger(string where, Func<int, Ledger, (Outcome Expected, Outcome Actual)> call, Action<int, bool>? changed)
    {
        for (int i = 0; i < host.Stores.Length; i++)
        {
            (string name, Ledger ledger) = host.Stores[i];
            (Outcome expected, Outcome actual) = call(i, ledger);
            if (PowerIsOff && expected.Error is null && PowerLossSteps.IsPowerFailure(actual.Thrown))
            {
                changed?.Invoke(i, false);
                continue;
            }

            expected.AssertMatches(actual, $"{where} on the {name}");
            if (expected.Error is null)
            {
                changed?.Invoke(i, true);
            }
        }
    }

    /// <summary>Runs a call of the whole Db; true when it returned, false when the power went during it.</summary>
    private bool Survives(Action call, string where)
    {
        Outcome outcome = Outcome.Of(() =>
        {
            call();
            return "ok";
        });
        if (outcome.Error is null)
        {
            return true;
        }

        Assert.True(PowerIsOff && PowerLossSteps.IsPowerFailure(outcome.Thrown), $"{where}: {outcome.Thrown}");
        return false;
    }

    /// <summary>Everything the models hold is durable now (Db.Sync, or a clean close when <paramref name="reopened"/>: nothing stays cached).</summary>
    private void Synced(bool reopened)
    {
        for (int i = 0; i < models.Length; i++)
        {
            if (reopened)
            {
                models[i].Reopened();
            }

            outcomes[i].Synced(models[i]);
        }
    }

    /// <summary>
    /// After a power loss: the Db is abandoned and opened again, which must succeed; each ledger
    /// must show one of the states its outcomes allow (which becomes its model); and the files must
    /// pass the checker once the recovered Db is closed.
    /// </summary>
    private void Recover(string where)
    {
        losses++;
        host.Abandon();
        fileSystem!.PowerOn();
        Outcome opened = Outcome.Of(() =>
        {
            host.Open();
            return "ok";
        });
        Assert.True(opened.Error is null, $"{where}: the Db did not open after the power loss: {opened.Thrown}");
        for (int i = 0; i < models.Length; i++)
        {
            (string name, Ledger ledger) = host.Stores[i];
            string recovered = $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}, entries {LedgerModel.Render(ledger.Read(0, int.MaxValue))}";
            LedgerModel[] candidates = [.. outcomes[i].Candidates()];
            LedgerModel? match = candidates.FirstOrDefault(candidate => candidate.Describe() == recovered);
            Assert.True(
                match is not null,
                $"{where}: after the power loss the {name} recovered as {recovered}; allowed:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", candidates.Select(c => c.Describe()).Distinct().Take(12)));
            models[i] = match!;
            outcomes[i].Synced(match!);
        }

        host.Close();
        host.Open();
    }

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
    private void CheckState(string where)
    {
        for (int i = 0; i < models.Length; i++)
        {
            (string name, Ledger ledger) = host.Stores[i];
            string expected = $"Length={models[i].Length}, Head={models[i].Head}, Tail={models[i].Tail}";
            string actual = $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}";
            Assert.True(actual == expected, $"{where} on the {name}: {actual}, model {expected}");
            IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
            CheckObjects(models[i], all, $"{where} on the {name}");
            string content = LedgerModel.Render(all);
            string expectedContent = LedgerModel.Render(models[i].Entries);
            Assert.True(content == expectedContent, $"{where} on the {name}: holds {content}, model {expectedContent}");
        }
    }
}
