using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Quasar.Cli.Inspection;
using Quasar.Cli.Output;
using Quasar.Storage;
using Spectre.Console;
using Table = Spectre.Console.Table;

namespace Quasar.Cli.Commands;

/// <summary>
/// <c>quasar stat DIR</c>: one screen on a database directory, read without its lock: each
/// ledger's entries, head and tail (with their timestamps), bytes and segments; each table's names
/// and bytes; each queue consumer's stored position and lag.
/// </summary>
internal static class StatCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>stat</c> command.</returns>
    public static Command Create()
    {
        Argument<string> directory = DirectoryArgument.Create();
        Option<bool> json = JsonOutput.CreateOption("the stores and consumers");
        var command = new Command("stat", "Show a database directory's ledgers (entries, head, tail, bytes, segments), tables and each queue consumer's stored position and lag, without taking its lock.")
        {
            directory, json,
        };
        command.SetAction(result => DamageGuard.Run(() =>
        {
            InspectedDirectory inspected = InspectedDirectory.Read(result.GetRequiredValue(directory));
            if (result.GetValue(json))
            {
                JsonOutput.Write(writer => WriteJson(writer, inspected));
            }
            else
            {
                Show(inspected);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Show(InspectedDirectory inspected)
    {
        AnsiConsole.WriteLine($"database {inspected.Inspector.Directory}: {inspected.Ledgers.Count} ledger(s), {inspected.Tables.Count} table(s)");
        var ledgers = new Spectre.Console.Table { Title = new TableTitle("Ledgers") };
        ledgers.AddColumns("ledger", "entries", "head", "tail", "bytes", "segments");
        ledgers.Columns[1].RightAligned();
        ledgers.Columns[4].RightAligned();
        ledgers.Columns[5].RightAligned();
        foreach (LedgerView ledger in inspected.OrderedLedgers)
        {
            ledgers.AddRow(
                Markup.Escape(ledger.Store.Prefix),
                Units.Count(ledger.Entries),
                SequenceCell(ledger.Head),
                SequenceCell(ledger.Tail.Tail),
                Units.Bytes(ledger.DataBytes),
                Units.Count(ledger.Segments.Count));
        }

        var tables = new Spectre.Console.Table { Title = new TableTitle("Tables") };
        tables.AddColumns("table", "names", "bytes");
        tables.Columns[1].RightAligned();
        tables.Columns[2].RightAligned();
        foreach ((StoreInfo store, TableInfo table) in inspected.OrderedTables)
        {
            tables.AddRow(Markup.Escape(store.Prefix), Units.Count(table.Positions.Count), Units.Bytes(table.Length));
        }

        var consumers = new Spectre.Console.Table { Title = new TableTitle("Consumers") };
        consumers.AddColumns("table", "consumer", "stored position", "lag (entries)");
        consumers.Columns[3].RightAligned();
        foreach (ConsumerView consumer in inspected.Consumers)
        {
            consumers.AddRow(Markup.Escape(consumer.Table), Markup.Escape(consumer.Name), SequenceCell(consumer.Position), Units.Count(consumer.Lag));
        }

        AnsiConsole.Write(ledgers);
        AnsiConsole.Write(tables);
        AnsiConsole.Write(consumers);
    }

    /// <summary>A sequence over its UTC timestamp (none for 0).</summary>
    private static string SequenceCell(ulong sequence) =>
        sequence == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{sequence}\n[grey]{SequenceText.Time(sequence)}[/]");

    private static void WriteJson(Utf8JsonWriter writer, InspectedDirectory inspected)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("ledgers");
        foreach (LedgerView ledger in inspected.OrderedLedgers)
        {
            writer.WriteStartObject();
            writer.WriteString("prefix", ledger.Store.Prefix);
            writer.WriteNumber("entries", ledger.Entries);
            writer.WriteSequence("head", ledger.Head);
            writer.WriteSequence("tail", ledger.Tail.Tail);
            writer.WriteNumber("bytes", ledger.DataBytes);
            writer.WriteNumber("segments", ledger.Segments.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tables");
        foreach ((StoreInfo store, TableInfo table) in inspected.OrderedTables)
        {
            writer.WriteStartObject();
            writer.WriteString("prefix", store.Prefix);
            writer.WriteNumber("names", table.Positions.Count);
            writer.WriteNumber("bytes", table.Length);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("consumers");
        foreach (ConsumerView consumer in inspected.Consumers)
        {
            writer.WriteStartObject();
            writer.WriteString("table", consumer.Table);
            writer.WriteString("ledger", consumer.Ledger);
            writer.WriteString("name", consumer.Name);
            writer.WriteSequence("position", consumer.Position);
            writer.WriteNumber("lag", consumer.Lag);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
