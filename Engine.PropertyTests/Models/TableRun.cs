using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// One run of a table scenario: two tables on one Db (one caching positions, one not), each
/// compared with its own model after every step. With power losses the Db runs on a
/// <see cref="PowerLossFileSystem"/>; after a loss it is abandoned and opened again, and each table
/// must hold one of the states its <see cref="TableOutcomes"/> allows, which becomes its model.
/// </summary>
internal sealed class TableRun : IDisposable
{
    private readonly TableScenario scenario;
    private readonly TempDirectory temp = new();
    private readonly PowerLossFileSystem? fileSystem;
    private readonly ModelHost<Table> host;
    private readonly TableModel[] models;
    private readonly TableOutcomes[] outcomes;
    private int losses;

    private TableRun(TableScenario scenario, bool powerLoss)
    {
        this.scenario = scenario;
        fileSystem = powerLoss ? new PowerLossFileSystem() : null;
        host = new ModelHost<Table>(
            Path.Combine(temp.Path, "db"),
            new DbOptions { SyncWrites = scenario.SyncWrites, FileSystem = fileSystem },
            db =>
            [
                ("plain table", Table.Open(db, new TableOptions { Prefix = "plain", Cache = false })),
                ("cached table", Table.Open(db, new TableOptions { Prefix = "cached", Cache = true })),
            ]);
        host.Open();
        models = [.. host.Stores.Select(_ => new TableModel())];
        outcomes = [.. models.Select(model => new TableOutcomes(model.Clone()))];
    }

    private bool PowerIsOff => fileSystem?.IsOff == true;

    public static void Execute(TableScenario scenario, bool powerLoss)
    {
        using var run = new TableRun(scenario, powerLoss);
        run.CheckState("after open");
        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            run.Step(step, scenario.Commands[step]);
        }

        run.host.Dispose();
        StoreCheck.AssertNoErrors(run.temp.Path, "at the end of the run");
        if (powerLoss)
        {
            PowerLossSteps.Count(nameof(TableRun) + (scenario.SyncWrites ? " with SyncWrites" : string.Empty), scenario.Commands.Count, run.losses);
        }
    }

    public void Dispose()
    {
        host.Dispose();
        temp.Dispose();
    }

    private void Step(int step, TableCommand command)
    {
        string where = $"step {step} ({command})";
        switch (command)
        {
            case TableCommand.PowerLoss loss:
                fileSystem!.PowerLoss(loss.Mode);
                break;
            case TableCommand.PowerLossDuring during:
                fileSystem!.CutAt(during.AtChange, during.Mode);
                Call(during.Call, where);
                if (fileSystem.Disarm())
                {
                    fileSystem.PowerLoss(during.Mode);
                }

                break;
            default:
                Call(command, where);
                break;
        }

        if (PowerIsOff)
        {
            Recover(where);
        }

        CheckState($"after {where}");
    }

    private void Call(TableCommand command, string where)
    {
        switch (command)
        {
            case TableCommand.Reopen:
                if (Survives(host.Close, where))
                {
                    Synced();
                    Survives(host.Open, where);
                }

                break;
            case TableCommand.ReopenTables:
                if (Survives(host.ReopenStores, where))
                {
                    Synced();
                }

                break;
            case TableCommand.Sync:
                if (Survives(host.Sync, where))
                {
                    Synced();
                }

                break;
            default:
                for (int i = 0; i < models.Length; i++)
                {
                    (string name, Table table) = host.Stores[i];
                    Outcome expected = command switch
                    {
                        TableCommand.Set set => models[i].Set(set.Name, set.Positions),
                        TableCommand.Get get => models[i].Get(get.Name),
                        TableCommand.Delete delete => models[i].Delete(delete.Name),
                        TableCommand.All => models[i].All(),
                        TableCommand.Range => models[i].Range(),
                        _ => throw new InvalidOperationException($"unknown command {command}"),
                    };
                    Outcome actual = Outcome.Of(() => TableModelProperties.Call(table, command));
                    bool changes = command is TableCommand.Set or TableCommand.Delete;
                    if (PowerIsOff && expected.Error is null && PowerLossSteps.IsPowerFailure(actual.Thrown))
                    {
                        if (changes)
                        {
                            outcomes[i].Changed(command, synced: false);
                        }

                        continue;
                    }

                    expected.AssertMatches(actual, $"{where} on the {name}");
                    if (changes && expected.Error is null)
                    {
                        outcomes[i].Changed(command, scenario.SyncWrites);
                    }
                }

                break;
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
        Assert.True(outcome.Error is null || (PowerIsOff && PowerLossSteps.IsPowerFailure(outcome.Thrown)), $"{where}: {outcome.Thrown}");
        return outcome.Error is null;
    }

    /// <summary>Everything the models hold is durable now (Db.Sync, a clean close).</summary>
    private void Synced()
    {
        for (int i = 0; i < models.Length; i++)
        {
            outcomes[i].Synced(models[i]);
        }
    }

    /// <summary>
    /// After a power loss: the Db is abandoned and opened again, which must succeed; each table must
    /// hold one of the states its outcomes allow (which becomes its model); and the files must pass
    /// the checker once the recovered Db is closed.
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
            (string name, Table table) = host.Stores[i];
            string recovered = TableModel.Render(table.All());
            TableModel[] candidates = [.. outcomes[i].Candidates()];
            TableModel? match = candidates.FirstOrDefault(candidate => candidate.Describe() == recovered);
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

    /// <summary>All() and Range() of each table agree with its model.</summary>
    private void CheckState(string where)
    {
        for (int i = 0; i < models.Length; i++)
        {
            (string name, Table table) = host.Stores[i];
            models[i].All().AssertMatches(Outcome.Of(() => TableModel.Render(table.All())), $"{where}: All() on the {name}");
            models[i].Range().AssertMatches(Outcome.Of(() => TableModelProperties.Call(table, new TableCommand.Range())), $"{where}: Range() on the {name}");
        }
    }
}
