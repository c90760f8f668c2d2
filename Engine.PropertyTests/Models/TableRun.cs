namespace Quasar.PropertyTests.Models;

/// <summary>
/// One run of a table scenario (<see cref="ModelRun{TStore, TModel, TOutcomes, TCommand}"/>): two
/// tables on one Db (one caching positions, one not), each compared with its own model after
/// every step; after a power loss each must hold one of the states its <see cref="TableOutcomes"/>
/// allow.
/// </summary>
internal sealed class TableRun : ModelRun<Table, TableModel, TableOutcomes, TableCommand>
{
    private readonly TableScenario scenario;

    private TableRun(TableScenario scenario, bool powerLoss)
        : base(
            powerLoss,
            new DbOptions { SyncWrites = scenario.SyncWrites },
            db =>
            [
                ("plain table", Table.Open(db, new TableOptions { Prefix = "plain", Cache = false })),
                ("cached table", Table.Open(db, new TableOptions { Prefix = "cached", Cache = true })),
            ],
            () => new TableModel(),
            model => new TableOutcomes(model.Clone()))
    {
        this.scenario = scenario;
    }

    public static void Execute(TableScenario scenario, bool powerLoss)
    {
        using var run = new TableRun(scenario, powerLoss);
        run.Execute(scenario.Commands, nameof(TableRun) + (scenario.SyncWrites ? " with SyncWrites" : string.Empty));
    }

    protected override void Call(int step, TableCommand command, string where)
    {
        switch (command)
        {
            case TableCommand.Reopen:
                if (Survives(Host.Close, where))
                {
                    Synced();
                    Survives(Host.Open, where);
                }

                break;
            case TableCommand.ReopenTables:
                if (Survives(Host.ReopenStores, where))
                {
                    Synced();
                }

                break;
            case TableCommand.Sync:
                if (Survives(Host.Sync, where))
                {
                    Synced();
                }

                break;
            default:
                bool changes = command is TableCommand.Set or TableCommand.Delete;
                ForEachStore(
                    where,
                    (i, table) => (Expected(Models[i], command), Outcome.Of(() => TableModelProperties.Call(table, command))),
                    changes ? (i, acknowledged) => Outcomes[i].Changed(command, acknowledged && scenario.SyncWrites) : null);
                break;
        }
    }

    private static Outcome Expected(TableModel model, TableCommand command) => command switch
    {
        TableCommand.Set set => model.Set(set.Name, set.Positions),
        TableCommand.Get get => model.Get(get.Name),
        TableCommand.Delete delete => model.Delete(delete.Name),
        TableCommand.All => model.All(),
        TableCommand.Range => model.Range(),
        _ => throw new InvalidOperationException($"unknown command {command}"),
    };

    protected override string DescribeRecovered(Table table) => TableModel.Render(table.All());

    /// <summary>All() and Range() of each table agree with its model.</summary>
    protected override void CheckState(string where)
    {
        for (int i = 0; i < Models.Length; i++)
        {
            (string name, Table table) = Host.Stores[i];
            Models[i].All().AssertMatches(Outcome.Of(() => TableModel.Render(table.All())), $"{where}: All() on the {name}");
            Models[i].Range().AssertMatches(Outcome.Of(() => TableModelProperties.Call(table, new TableCommand.Range())), $"{where}: Range() on the {name}");
        }
    }
}
