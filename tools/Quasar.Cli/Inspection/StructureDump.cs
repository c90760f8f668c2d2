using System.Globalization;
using System.Text.Json;
using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>
/// What <c>quasar dump</c> prints without <c>--entries</c>: every ledger with its tail record and
/// segments (index state included), every table with its names and positions. Paths are relative
/// to the database directory and nothing depends on the clock, so a directory's dump is the same
/// on every run.
/// </summary>
internal static class StructureDump
{
    /// <summary>Positions shown per name in text (the JSON has them all).</summary>
    private const int ShownPositions = 8;

    /// <summary>Writes the text dump of the stores <paramref name="wanted"/> accepts.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="inspected">The directory read.</param>
    /// <param name="wanted">Whether a store prefix is dumped.</param>
    public static void WriteText(TextWriter output, InspectedDirectory inspected, Func<string, bool> wanted)
    {
        foreach (LedgerView ledger in inspected.OrderedLedgers.Where(l => wanted(l.Store.Prefix)))
        {
            output.WriteLine(Invariant($"ledger {ledger.Store.Prefix} ({inspected.Relative(ledger.Store.Directory)})"));
            output.WriteLine(Invariant($"  head {SequenceText.WithTime(ledger.Head)}"));
            output.WriteLine(Invariant($"  tail {SequenceText.WithTime(ledger.Tail.Tail)}: {inspected.Relative(ledger.Tail.Path)} generation {ledger.Tail.Generation}, {ledger.Tail.ValidCopies} valid cop{(ledger.Tail.ValidCopies == 1 ? "y" : "ies")}"));
            output.WriteLine(Invariant($"  {ledger.Entries} live entries, {ledger.Segments.Count} segment(s), {ledger.DataBytes} segment bytes"));
            foreach (SegmentInfo segment in ledger.Segments)
            {
                output.WriteLine(Invariant($"  segment {inspected.Relative(segment.DataPath)}: base {segment.BaseSequence}, {segment.DataLength} bytes ({segment.ValidLength} valid), {segment.BatchCount} batches, {segment.EntryCount} entries, sequences {Range(segment)}"));
                IndexInfo index = segment.Index;
                output.WriteLine(Invariant($"    index {inspected.Relative(index.Path)}: {State(index.State)}, {index.SlotCount} slots, {index.Length} bytes{(index.IsShort ? ", SHORT" : string.Empty)}"));
            }
        }

        foreach ((StoreInfo store, TableInfo table) in inspected.OrderedTables.Where(t => wanted(t.Store.Prefix)))
        {
            output.WriteLine(Invariant($"table {store.Prefix} ({inspected.Relative(table.Path)}): generation {table.Generation}, {table.Length} bytes, {table.Positions.Count} name(s)"));
            foreach ((string name, ulong[] positions) in table.Positions)
            {
                ConsumerView? consumer = inspected.Consumers.FirstOrDefault(c => c.Table == store.Prefix && c.Name == name);
                string shown = string.Join(", ", positions.Take(ShownPositions).Select(p => p.ToString(CultureInfo.InvariantCulture)));
                string more = positions.Length > ShownPositions ? Invariant($" (+{positions.Length - ShownPositions} more)") : string.Empty;
                string lag = consumer is null ? string.Empty : Invariant($"; lag {consumer.Lag} in {consumer.Ledger}");
                output.WriteLine(Invariant($"  {name}: {shown}{more}{lag}"));
            }
        }
    }

    /// <summary>Writes the JSON dump of the stores <paramref name="wanted"/> accepts: one document.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="inspected">The directory read.</param>
    /// <param name="wanted">Whether a store prefix is dumped.</param>
    public static void WriteJson(Utf8JsonWriter writer, InspectedDirectory inspected, Func<string, bool> wanted)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("ledgers");
        foreach (LedgerView ledger in inspected.OrderedLedgers.Where(l => wanted(l.Store.Prefix)))
        {
            writer.WriteStartObject();
            writer.WriteString("prefix", ledger.Store.Prefix);
            writer.WriteString("directory", inspected.Relative(ledger.Store.Directory));
            writer.WriteSequence("head", ledger.Head);
            writer.WriteSequence("tail", ledger.Tail.Tail);
            writer.WriteStartObject("tailRecord");
            writer.WriteString("file", inspected.Relative(ledger.Tail.Path));
            writer.WriteNumber("generation", ledger.Tail.Generation);
            writer.WriteNumber("validCopies", ledger.Tail.ValidCopies);
            writer.WriteEndObject();
            writer.WriteNumber("entries", ledger.Entries);
            writer.WriteNumber("bytes", ledger.DataBytes);
            writer.WriteStartArray("segments");
            foreach (SegmentInfo segment in ledger.Segments)
            {
                WriteSegment(writer, inspected, segment);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tables");
        foreach ((StoreInfo store, TableInfo table) in inspected.OrderedTables.Where(t => wanted(t.Store.Prefix)))
        {
            writer.WriteStartObject();
            writer.WriteString("prefix", store.Prefix);
            writer.WriteString("file", inspected.Relative(table.Path));
            writer.WriteNumber("generation", table.Generation);
            writer.WriteNumber("bytes", table.Length);
            writer.WriteStartObject("positions");
            foreach ((string name, ulong[] positions) in table.Positions)
            {
                writer.WriteStartArray(name);
                foreach (ulong position in positions)
                {
                    writer.WriteNumberValue(position);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSegment(Utf8JsonWriter writer, InspectedDirectory inspected, SegmentInfo segment)
    {
        writer.WriteStartObject();
        writer.WriteString("file", inspected.Relative(segment.DataPath));
        writer.WriteNumber("baseSequence", segment.BaseSequence);
        writer.WriteNumber("bytes", segment.DataLength);
        writer.WriteNumber("validBytes", segment.ValidLength);
        writer.WriteNumber("batches", segment.BatchCount);
        writer.WriteNumber("entries", segment.EntryCount);
        writer.WriteNumber("firstSequence", segment.FirstSequence);
        writer.WriteNumber("lastSequence", segment.LastSequence);
        writer.WriteStartObject("index");
        writer.WriteString("file", inspected.Relative(segment.Index.Path));
        writer.WriteString("state", State(segment.Index.State));
        writer.WriteNumber("slots", segment.Index.SlotCount);
        writer.WriteNumber("bytes", segment.Index.Length);
        writer.WriteBoolean("short", segment.Index.IsShort);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string Range(SegmentInfo segment) =>
        segment.EntryCount == 0 ? "none" : Invariant($"{segment.FirstSequence}..{segment.LastSequence}");

    private static string State(IndexState state) => state.ToString().ToLowerInvariant();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
