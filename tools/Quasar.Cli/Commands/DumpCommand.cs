using System.CommandLine;
using Quasar.Cli.Inspection;
using Quasar.Storage;

namespace Quasar.Cli.Commands;

/// <summary>
/// <c>quasar dump DIR</c>: the structure of a database directory, read without its lock (stores,
/// segments with their index state, tail records, tables with their positions), or with
/// <c>--entries</c> the entries themselves. Text for people, <c>--json</c> for scripts.
/// </summary>
internal static class DumpCommand
{
    /// <summary>Builds the command, its options and their checks.</summary>
    /// <returns>The <c>dump</c> command.</returns>
    public static Command Create()
    {
        Argument<string> directory = DirectoryArgument.Create();
        var entries = new Option<bool>("--entries") { Description = "Print entries (sequence, timestamp, length, payload preview) instead of the structure." };
        var store = new Option<string?>("--store") { HelpName = "PREFIX", Description = "Only the store with this prefix (e.g. orders:l)." };
        var from = new Option<ulong?>("--from") { HelpName = "SEQ", Description = "With --entries: start at this sequence (default: the oldest live entry)." };
        var count = new Option<int?>("--count") { HelpName = "N", Description = "With --entries: at most N entries per ledger." };
        var width = new Option<int>("--width") { HelpName = "CHARS", Description = "With --entries: the payload preview's width.", DefaultValueFactory = _ => 48 };
        Option<bool> json = JsonOutput.CreateOption("one document (with --entries: one JSON line per entry)");
        count.AtLeast(1);
        width.Between(8, 4096);

        var command = new Command("dump", "Print a database directory's stores, segments (base sequence, sizes, batches, entries, range, index state), tail records and tables with their positions, without taking its lock; --entries prints the entries.")
        {
            directory, entries, store, from, count, width, json,
        };
        command.Validators.Add(result =>
        {
            if (!result.GetValue(entries) && (result.GetResult(from) is not null || result.GetResult(count) is not null || result.GetResult(width) is { Implicit: false }))
            {
                result.AddError("--from, --count and --width go with --entries.");
            }
        });
        command.SetAction(result => DamageGuard.Run(() =>
        {
            InspectedDirectory inspected = InspectedDirectory.Read(result.GetRequiredValue(directory));
            string? only = result.GetValue(store);
            if (only is not null && !inspected.Inspector.Stores.Any(s => s.Prefix == only))
            {
                Console.Error.WriteLine($"There is no store '{only}' in '{inspected.Inspector.Directory}'.");
                return ExitCodes.Usage;
            }

            bool asJson = result.GetValue(json);
            Func<string, bool> wanted = prefix => only is null || prefix == only;
            if (result.GetValue(entries))
            {
                var view = new EntryDump(inspected, asJson, result.GetValue(width));
                foreach (LedgerView ledger in inspected.OrderedLedgers.Where(l => wanted(l.Store.Prefix)))
                {
                    view.Write(ledger, result.GetValue(from) ?? 0, result.GetValue(count) ?? int.MaxValue);
                }
            }
            else if (asJson)
            {
                JsonOutput.Write(writer => StructureDump.WriteJson(writer, inspected, wanted));
            }
            else
            {
                StructureDump.WriteText(Console.Out, inspected, wanted);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
