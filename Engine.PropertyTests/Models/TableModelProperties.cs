using FsCheck;
using FsCheck.Fluent;
using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

public class TableModelProperties
{
    private const int MaxCommands = 40;

    private static readonly string LongName = "long-name-" + new string('x', 290);
    private static readonly string LongestName = "longest-" + new string('y', TableModel.MaxNameBytes - 8);
    private static readonly string TooLongName = "too-long-" + new string('z', TableModel.MaxNameBytes - 8);

    private static readonly Gen<string> Names = Gen.Frequency(
        (40, Gen.Elements("a", "b", "c", "A", LongName)),
        (3, Gen.Elements("ü-名前", LongestName)),
        (2, Gen.Elements(string.Empty, TooLongName)));

    private static readonly Gen<ulong[]> Positions =
        from count in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(1, 4)), (1, Gen.Choose(5, 12)))
        from positions in Gen.ArrayOf(
            Gen.Frequency(
                (10, Gen.Choose(0, 60).Select(x => (ulong)x)),
                (1, Gen.Elements(0UL, 1UL << 32, ulong.MaxValue - 1, ulong.MaxValue))),
            count)
        select positions;

    private static readonly Gen<TableCommand> Commands = Gen.Frequency(
        (12, from name in Names from positions in Positions select (TableCommand)new TableCommand.Set(name, positions)),
        (5, Names.Select(name => (TableCommand)new TableCommand.Get(name))),
        (4, Names.Select(name => (TableCommand)new TableCommand.Delete(name))),
        (2, Gen.Constant<TableCommand>(new TableCommand.All())),
        (2, Gen.Constant<TableCommand>(new TableCommand.Range())),
        (2, Gen.Constant<TableCommand>(new TableCommand.Reopen())),
        (1, Gen.Constant<TableCommand>(new TableCommand.ReopenTables())));

    private static readonly Gen<TableScenario> Scenarios =
        from count in Gen.Choose(1, MaxCommands)
        from commands in Gen.ListOf(Commands, count)
        select new TableScenario([.. commands]);

    /// <summary>Calls, Db.Sync (without <paramref name="syncWrites"/>) and power losses between and during calls.</summary>
    private static Gen<TableScenario> PowerLossScenarios(bool syncWrites)
    {
        // The calls a power loss can interrupt: the ones that change the disk.
        Gen<TableCommand> interruptible = Gen.Frequency(
            (6, from name in Names from positions in Positions select (TableCommand)new TableCommand.Set(name, positions)),
            (3, Names.Select(name => (TableCommand)new TableCommand.Delete(name))),
            (2, Gen.Constant<TableCommand>(new TableCommand.Reopen())),
            (1, Gen.Constant<TableCommand>(new TableCommand.ReopenTables())),
            (syncWrites ? 0 : 2, Gen.Constant<TableCommand>(new TableCommand.Sync())));
        Gen<TableCommand> commands = Gen.Frequency(
            (30, Commands),
            (syncWrites ? 0 : 3, Gen.Constant<TableCommand>(new TableCommand.Sync())),
            (2, PowerLossSteps.Modes.Select(mode => (TableCommand)new TableCommand.PowerLoss(mode))),
            (4, from call in interruptible
                from at in PowerLossSteps.Changes
                from mode in PowerLossSteps.Modes
                select (TableCommand)new TableCommand.PowerLossDuring(call, at, mode)));
        return from count in Gen.Choose(1, MaxCommands)
               from list in Gen.ListOf(commands, count)
               select new TableScenario([.. list], syncWrites);
    }

    private static IEnumerable<TableScenario> Shrink(TableScenario scenario) =>
        CommandShrinks.Of(scenario.Commands, Simpler).Select(commands => scenario with { Commands = commands });

    /// <summary>A set without one of its positions, a simpler power loss.</summary>
    private static IEnumerable<TableCommand> Simpler(TableCommand command) => command switch
    {
        TableCommand.Set { Positions.Count: > 1 } set => Enumerable.Range(0, set.Positions.Count)
            .Select(j => (TableCommand)(set with { Positions = [.. set.Positions.Take(j), .. set.Positions.Skip(j + 1)] })),
        TableCommand.PowerLossDuring during => ShrinkPowerLoss(during),
        TableCommand.PowerLoss loss => PowerLossSteps.Shrink(loss.Mode).Select(mode => (TableCommand)new TableCommand.PowerLoss(mode)),
        _ => [],
    };

    /// <summary>The call alone, the power lost earlier in it, or lost more simply.</summary>
    private static IEnumerable<TableCommand> ShrinkPowerLoss(TableCommand.PowerLossDuring during)
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

    /// <summary>
    /// Calls the table. The arrays passed in and handed out are scribbled over afterwards: the
    /// table must neither keep the caller's span nor hand out its own arrays (Get returns a copy).
    /// </summary>
    internal static string Call(Table table, TableCommand command)
    {
        switch (command)
        {
            case TableCommand.Set set:
                ulong[] positions = [.. set.Positions];
                table.Set(set.Name, positions);
                Array.Fill(positions, 0xDEAD_BEEFUL);
                return "ok";

            case TableCommand.Get get:
                ulong[] got = table.Get(get.Name);
                string rendered = TableModel.Render(got);
                Array.Fill(got, 0xDEAD_BEEFUL);
                return rendered;

            case TableCommand.Delete delete:
                table.Delete(delete.Name);
                return "ok";

            case TableCommand.All:
                IReadOnlyDictionary<string, ulong[]> all = table.All();
                string renderedAll = TableModel.Render(all);
                foreach (ulong[] value in all.Values)
                {
                    Array.Fill(value, 0xDEAD_BEEFUL);
                }

                return renderedAll;

            case TableCommand.Range:
                (ulong min, ulong max, bool found) = table.Range();
                return TableModel.RenderRange(min, max, found);

            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
    }

    private static readonly Arbitrary<TableScenario> Arbitrary = Arb.From(Scenarios, Shrink);

    [QuasarProperty]
    public Property Table_behaves_like_the_model_with_and_without_cache() =>
        Prop.ForAll(Arbitrary, scenario => TableRun.Execute(scenario, powerLoss: false));

    /// <summary>Every Set and Delete that returned survives any power loss; the one in flight may or may not.</summary>
    [PowerLossProperty]
    public Property Table_with_SyncWrites_keeps_every_acknowledged_call_across_power_losses() =>
        Prop.ForAll(Arb.From(PowerLossScenarios(syncWrites: true), Shrink), scenario => TableRun.Execute(scenario, powerLoss: true));

    /// <summary>Everything before the last Db.Sync or clean close survives; of the calls after it, a prefix.</summary>
    [PowerLossProperty]
    public Property Table_without_SyncWrites_keeps_everything_synced_across_power_losses() =>
        Prop.ForAll(Arb.From(PowerLossScenarios(syncWrites: false), Shrink), scenario => TableRun.Execute(scenario, powerLoss: true));

    /// <summary>
    /// Far more sets of one name than the rewrite threshold (1 MiB): the file is rewritten again and
    /// again, must stay small, and must hold the last value (and the untouched names) after reopen.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Many_sets_of_one_name_keep_the_file_small_and_survive_reopen(bool cache)
    {
        const int Sets = 200_000;
        const long MaxFileBytes = 2 * 1024 * 1024;
        using var temp = new TempDirectory();
        var options = new TableOptions { Prefix = "rewrite", Cache = cache };
        string tableDirectory = Path.Combine(temp.Path, "table-rewrite");
        string file = Path.Combine(tableDirectory, "table.log");
        var random = new Random(20_240_601);
        var expected = new Dictionary<string, ulong[]>(StringComparer.Ordinal)
        {
            ["keep"] = [7, 8, 9],
            ["zero"] = [0],
        };

        using (var db = Db.Open(temp.Path))
        using (var table = Table.Open(db, options))
        {
            table.Set("keep", expected["keep"]);
            table.Set("zero", expected["zero"]);
            var positions = new ulong[4];
            long largest = 0;
            for (int i = 0; i < Sets; i++)
            {
                int count = random.Next(1, 5);
                for (int j = 0; j < count; j++)
                {
                    positions[j] = ((ulong)i * 4) + (ulong)j + 1;
                }

                table.Set("hot", positions.AsSpan(0, count));
                if (i % 10_000 == 0)
                {
                    largest = Math.Max(largest, new FileInfo(file).Length);
                }

                if (i == Sets - 1)
                {
                    expected["hot"] = positions[..count];
                }
            }

            Assert.True(largest < MaxFileBytes, $"table.log grew to {largest} bytes while open");
            Assert.Equal(expected["hot"], table.Get("hot"));
        }

        long length = new FileInfo(file).Length;
        Assert.True(length < MaxFileBytes, $"table.log is {length} bytes after {Sets} sets of one name");
        string[] files = [.. Directory.GetFiles(tableDirectory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

        using (var db = Db.Open(temp.Path))
        using (var table = Table.Open(db, options))
        {
            Assert.Equal(expected["hot"], table.Get("hot"));
            Assert.Equal(TableModel.Render(expected), TableModel.Render(table.All()));
            Assert.Equal((0UL, expected["hot"][^1], true), table.Range());
        }

        // FORMAT.md: a table directory holds table.log, and table.log.tmp only while a rewrite runs.
        Assert.Equal(["table.log"], files);
    }
}
