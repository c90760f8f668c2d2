using System.CommandLine;
using System.Globalization;
using Quasar.Cli.Inspection;
using Quasar.Storage;

namespace Quasar.Cli.Commands;

/// <summary>
/// <c>quasar positions DIR</c> lists every table's stored positions (read without the lock);
/// <c>quasar positions set DIR --table T --name N --to SEQ</c> replaces a name's positions
/// offline: the operator's answer to a stuck or poisoned consumer, as Kafka's
/// <c>--reset-offsets</c> is. Setting opens the database, so it takes the directory's lock and
/// refuses while a process holds it.
/// </summary>
internal static class PositionsCommand
{
    /// <summary>Builds the command and its <c>set</c> subcommand.</summary>
    /// <returns>The <c>positions</c> command.</returns>
    public static Command Create()
    {
        Argument<string> directory = DirectoryArgument.Create();
        var command = new Command("positions", "List the positions every table stores, by name (a queue's consumers store theirs in its table <prefix>:t), without taking the directory's lock.")
        {
            directory,
            CreateSet(),
        };
        command.SetAction(result => DamageGuard.Run(() =>
        {
            InspectedDirectory inspected = InspectedDirectory.Read(result.GetRequiredValue(directory));
            foreach ((StoreInfo store, TableInfo table) in inspected.OrderedTables)
            {
                Console.WriteLine($"table {store.Prefix}: {table.Positions.Count} name(s)");
                foreach ((string name, ulong[] positions) in table.Positions)
                {
                    ConsumerView? consumer = inspected.Consumers.FirstOrDefault(c => c.Table == store.Prefix && c.Name == name);
                    string lag = consumer is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", lag {consumer.Lag}");
                    string beyond = positions.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $", {positions.Length - 1} more stored beyond it") : string.Empty;
                    Console.WriteLine($"  {name}: {SequenceText.WithTime(positions[0])}{beyond}{lag}");
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateSet()
    {
        Argument<string> directory = DirectoryArgument.Create("The database directory (opened, so no other process may hold it).");
        var table = new Option<string>("--table") { HelpName = "T", Description = "The table (a queue's is <prefix>:t).", Required = true };
        var name = new Option<string>("--name") { HelpName = "N", Description = "The name in it (a queue consumer's name).", Required = true };
        var to = new Option<ulong>("--to") { HelpName = "SEQ", Description = "The position to store: a consumer resumes after it (0: from the oldest entry).", Required = true };
        var set = new Command("set", "Replace the positions stored for a name with one position, offline: the database is opened (taking its lock), so this refuses while another process holds the directory. A consumer resumes after the new position on its next start.")
        {
            directory, table, name, to,
        };
        set.SetAction(result => Set(result.GetRequiredValue(directory), result.GetRequiredValue(table), result.GetRequiredValue(name), result.GetValue(to)));
        return set;
    }

    private static int Set(string directory, string table, string name, ulong to)
    {
        if (!DbInspector.Open(directory).Stores.Any(s => s.Kind == StoreKind.Table && s.Prefix == table))
        {
            Console.Error.WriteLine($"There is no table '{table}' in '{Path.GetFullPath(directory)}' (quasar positions {directory} lists them).");
            return ExitCodes.Usage;
        }

        Db db;
        try
        {
            db = Db.Open(directory);
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"Refused: '{Path.GetFullPath(directory)}' is held open by another process ({error.Message}). Stop it first: positions are set offline.");
            return ExitCodes.Problems;
        }

        using (db)
        using (var store = Table.Open(db, new TableOptions { Prefix = table }))
        {
            ulong[] before = store.Get(name);
            store.Set(name, to);
            string was = before.Length == 0 ? "nothing" : string.Join(", ", before.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine($"table {table}, name {name}: stored {to} (was {was})");
        }

        return ExitCodes.Ok;
    }
}
