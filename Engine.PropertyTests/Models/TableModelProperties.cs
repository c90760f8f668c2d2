using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a table; prints like the call it stands for.</summary>
public abstract record TableCommand
{
    /// <summary>Long names print shortened: their first characters and their UTF-8 length.</summary>
    internal static string Show(string name) =>
        name.Length <= 12 ? $"\"{name}\"" : $"\"{name[..9]}…\"({Encoding.UTF8.GetByteCount(name)} bytes)";

    public sealed record Set(string Name, IReadOnlyList<ulong> Positions) : TableCommand
    {
        public override string ToString() => $"Set({Show(Name)}, [{string.Join(",", Positions)}])";
    }

    public sealed record Get(string Name) : TableCommand
    {
        public override string ToString() => $"Get({Show(Name)})";
    }

    public sealed record Delete(string Name) : TableCommand
    {
        public override string ToString() => $"Delete({Show(Name)})";
    }

    public sealed record All : TableCommand
    {
        public override string ToString() => "All";
    }

    public sealed record Range : TableCommand
    {
        public override string ToString() => "Range";
    }

    /// <summary>Disposes the Db and opens it (and the tables) again on the same directory.</summary>
    public sealed record Reopen : TableCommand
    {
        public override string ToString() => "Reopen";
    }

    /// <summary>Disposes the tables only and opens them again on the same Db.</summary>
    public sealed record ReopenTables : TableCommand
    {
        public override string ToString() => "ReopenTables";
    }
}

public sealed record TableScenario(IReadOnlyList<TableCommand> Commands)
{
    public override string ToString() => string.Join("; ", Commands);
}

/// <summary>The reference model of a table, from API.md: a map from names to position lists.</summary>
internal sealed class TableModel
{
    /// <summary>The longest name in UTF-8 bytes (Table.Set's documentation).</summary>
    public const int MaxNameBytes = 1024;

    private readonly Dictionary<string, ulong[]> map = new(StringComparer.Ordinal);

    private static bool Valid(string name) => name.Length > 0 && Encoding.UTF8.GetByteCount(name) <= MaxNameBytes;

    /// <summary>Stores a copy; empty positions: no-op.</summary>
    public Outcome Set(string name, IReadOnlyList<ulong> positions)
    {
        if (!Valid(name))
        {
            return Outcome.Throws<ArgumentException>();
        }

        if (positions.Count > 0)
        {
            map[name] = [.. positions];
        }

        return Outcome.Returned("ok");
    }

    /// <summary>Missing: empty.</summary>
    public Outcome Get(string name) =>
        Valid(name) ? Outcome.Returned(Render(map.GetValueOrDefault(name) ?? [])) : Outcome.Throws<ArgumentException>();

    /// <summary>Missing: no-op.</summary>
    public Outcome Delete(string name)
    {
        if (!Valid(name))
        {
            return Outcome.Throws<ArgumentException>();
        }

        map.Remove(name);
        return Outcome.Returned("ok");
    }

    public Outcome All() => Outcome.Returned(Render(map));

    /// <summary>Min of the first positions, max of the last ones; position 0 counts like any other.</summary>
    public Outcome Range() =>
        Outcome.Returned(map.Count == 0
            ? RenderRange(0, 0, false)
            : RenderRange(map.Values.Min(p => p[0]), map.Values.Max(p => p[^1]), true));

    public static string Render(IReadOnlyList<ulong> positions) => "[" + string.Join(",", positions) + "]";

    public static string Render(IReadOnlyDictionary<string, ulong[]> all) =>
        "{" + string.Join(", ", all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{TableCommand.Show(p.Key)}: {Render(p.Value)}")) + "}";

    /// <summary>Min and Max mean nothing when the table is empty: only Found is compared then.</summary>
    public static string RenderRange(ulong min, ulong max, bool found) => found ? $"({min}, {max}, True)" : "(not found)";
}

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

    private static IEnumerable<TableScenario> Shrink(TableScenario scenario)
    {
        IReadOnlyList<TableCommand> commands = scenario.Commands;
        foreach (IReadOnlyList<TableCommand> shorter in CommandLists.WithoutRuns(commands))
        {
            yield return new TableScenario(shorter);
        }

        for (int i = 0; i < commands.Count; i++)
        {
            if (commands[i] is TableCommand.Set { Positions.Count: > 1 } set)
            {
                for (int j = 0; j < set.Positions.Count; j++)
                {
                    var copy = commands.ToList();
                    copy[i] = set with { Positions = [.. set.Positions.Take(j), .. set.Positions.Skip(j + 1)] };
                    yield return new TableScenario(copy);
                }
            }
        }
    }

    private static readonly Arbitrary<TableScenario> Arbitrary = Arb.From(Scenarios, Shrink);

    /// <summary>One Db with two tables on it, one caching positions and one not.</summary>
    private sealed class Host(string directory) : IDisposable
    {
        private Db? db;

        public (string Name, Table Table)[] Tables { get; private set; } = [];

        public void Open()
        {
            db = Db.Open(directory);
            OpenTables();
        }

        /// <summary>Closes the Db, checks its files with the consistency checker, and opens it again.</summary>
        public void Reopen()
        {
            db?.Dispose();
            Tables = [];
            StoreCheck.AssertNoErrors(directory, "closed for a reopen");
            Open();
        }

        public void ReopenTables()
        {
            foreach ((_, Table table) in Tables)
            {
                table.Dispose();
            }

            Tables = [];
            OpenTables();
        }

        private void OpenTables()
        {
            Tables =
            [
                ("plain table", Table.Open(db!, new TableOptions { Prefix = "plain", Cache = false })),
                ("cached table", Table.Open(db!, new TableOptions { Prefix = "cached", Cache = true })),
            ];
        }

        public void Dispose() => db?.Dispose();
    }

    private static void Run(TableScenario scenario)
    {
        using var temp = new TempDirectory();
        var model = new TableModel();
        using var host = new Host(temp.Path);
        host.Open();
        CheckState(model, host, "after open");

        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            TableCommand command = scenario.Commands[step];
            string where = $"step {step} ({command})";
            Outcome expected = command switch
            {
                TableCommand.Set set => model.Set(set.Name, set.Positions),
                TableCommand.Get get => model.Get(get.Name),
                TableCommand.Delete delete => model.Delete(delete.Name),
                TableCommand.All => model.All(),
                TableCommand.Range => model.Range(),
                _ => Outcome.Returned("ok"),
            };

            switch (command)
            {
                case TableCommand.Reopen:
                    host.Reopen();
                    break;
                case TableCommand.ReopenTables:
                    host.ReopenTables();
                    break;
                default:
                    foreach ((string name, Table table) in host.Tables)
                    {
                        expected.AssertMatches(Outcome.Of(() => Call(table, command)), $"{where} on the {name}");
                    }

                    break;
            }

            CheckState(model, host, $"after {where}");
        }

        host.Dispose();
        StoreCheck.AssertNoErrors(temp.Path, "at the end of the run");
    }

    /// <summary>
    /// Calls the table. The arrays passed in and handed out are scribbled over afterwards: the
    /// table must neither keep the caller's span nor hand out its own arrays (Get returns a copy).
    /// </summary>
    private static string Call(Table table, TableCommand command)
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

    /// <summary>All() and Range() agree with the model.</summary>
    private static void CheckState(TableModel model, Host host, string where)
    {
        foreach ((string name, Table table) in host.Tables)
        {
            model.All().AssertMatches(Outcome.Of(() => TableModel.Render(table.All())), $"{where}: All() on the {name}");
            model.Range().AssertMatches(Outcome.Of(() => Call(table, new TableCommand.Range())), $"{where}: Range() on the {name}");
        }
    }

    [QuasarProperty]
    public Property Table_behaves_like_the_model_with_and_without_cache() => Prop.ForAll(Arbitrary, Run);

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
