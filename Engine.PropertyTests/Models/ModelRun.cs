using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// The skeleton of a model run shared by the ledger and table models: several stores on one Db,
/// each compared with its own model after every step. With power losses the Db runs on a
/// <see cref="PowerLossFileSystem"/>; after a loss the Db is abandoned and opened again, and each
/// store must have recovered to one of the states its outcomes allow, which then becomes its model.
/// A subclass makes the calls (<see cref="Call"/>), compares whole states (<see cref="CheckState"/>)
/// and describes a recovered store as a model state describes itself (<see cref="DescribeRecovered"/>).
/// </summary>
internal abstract class ModelRun<TStore, TModel, TOutcomes, TCommand> : IDisposable
    where TStore : IDisposable
    where TModel : class, IRecoveredState
    where TOutcomes : IModelOutcomes<TModel>
{
    private readonly TempDirectory temp = new();
    private readonly PowerLossFileSystem? fileSystem;
    private int losses;

    protected ModelRun(bool powerLoss, DbOptions options, Func<Db, (string Name, TStore Store)[]> openStores, Func<TModel> newModel, Func<TModel, TOutcomes> newOutcomes)
    {
        fileSystem = powerLoss ? new PowerLossFileSystem() : null;
        Host = new ModelHost<TStore>(Path.Combine(temp.Path, "db"), options with { FileSystem = fileSystem }, openStores);
        Host.Open();
        Models = [.. Host.Stores.Select(_ => newModel())];
        Outcomes = [.. Models.Select(newOutcomes)];
    }

    protected ModelHost<TStore> Host { get; }

    protected TModel[] Models { get; }

    protected TOutcomes[] Outcomes { get; }

    protected bool PowerIsOff => fileSystem?.IsOff == true;

    public void Dispose()
    {
        Host.Dispose();
        temp.Dispose();
    }

    /// <summary>Runs every step, closes the Db, checks its files, and counts the run's power losses under <paramref name="property"/>.</summary>
    protected void Execute(IReadOnlyList<TCommand> commands, string property)
    {
        CheckState("after open");
        for (int step = 0; step < commands.Count; step++)
        {
            Step(step, commands[step]);
        }

        Host.Dispose();
        StoreCheck.AssertNoErrors(temp.Path, "at the end of the run");
        if (fileSystem is not null)
        {
            PowerLossSteps.Count(property, commands.Count, losses);
        }
    }

    /// <summary>Makes one call of the scenario (not a power loss) on every store and checks it against the models.</summary>
    protected abstract void Call(int step, TCommand command, string where);

    /// <summary>The whole state of each store agrees with its model.</summary>
    protected abstract void CheckState(string where);

    /// <summary>A recovered store, described as <see cref="IRecoveredState.Describe"/> describes the model state it stands for.</summary>
    protected abstract string DescribeRecovered(TStore store);

    /// <summary>
    /// Runs one call on each store and compares it with the model. Once the power is off, a call
    /// the model expects to succeed may fail with an I/O error instead: it was in flight.
    /// <paramref name="changed"/> hears of each call that may have changed the disk (true: it returned).
    /// </summary>
    protected void ForEachStore(string where, Func<int, TStore, (Outcome Expected, Outcome Actual)> call, Action<int, bool>? changed)
    {
        for (int i = 0; i < Host.Stores.Length; i++)
        {
            (string name, TStore store) = Host.Stores[i];
            (Outcome expected, Outcome actual) = call(i, store);
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
    protected bool Survives(Action call, string where)
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
    protected void Synced()
    {
        for (int i = 0; i < Models.Length; i++)
        {
            Outcomes[i].Synced(Models[i]);
        }
    }

    private void Step(int step, TCommand command)
    {
        string where = $"step {step} ({command})";
        switch (command)
        {
            case IPowerLossStep loss:
                fileSystem!.PowerLoss(loss.Mode);
                break;
            case IPowerLossDuringStep<TCommand> during:
                PowerLossSteps.CutDuring(fileSystem!, during.AtChange, during.Mode, () => Call(step, during.Call, where));
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

    /// <summary>
    /// After a power loss: the Db is abandoned and opened again, which must succeed; each store must
    /// show one of the states its outcomes allow (which becomes its model); and the files must pass
    /// the checker once the recovered Db is closed.
    /// </summary>
    private void Recover(string where)
    {
        losses++;
        Host.Abandon();
        fileSystem!.PowerOn();
        Outcome opened = Outcome.Of(() =>
        {
            Host.Open();
            return "ok";
        });
        Assert.True(opened.Error is null, $"{where}: the Db did not open after the power loss: {opened.Thrown}");
        for (int i = 0; i < Models.Length; i++)
        {
            (string name, TStore store) = Host.Stores[i];
            string recovered = DescribeRecovered(store);
            TModel[] candidates = [.. Outcomes[i].Candidates()];
            TModel? match = candidates.FirstOrDefault(candidate => candidate.Describe() == recovered);
            Assert.True(
                match is not null,
                $"{where}: after the power loss the {name} recovered as {recovered}; allowed:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", candidates.Select(c => c.Describe()).Distinct().Take(12)));
            Models[i] = match!;
            Outcomes[i].Synced(match!);
        }

        Host.Close();
        Host.Open();
    }
}
