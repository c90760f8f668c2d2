using System.Globalization;
using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>What <c>quasar dump --entries</c> prints: per ledger, its live entries as text lines or JSON lines.</summary>
/// <param name="inspected">The directory read.</param>
/// <param name="json">JSON lines (one object per entry, with the whole payload in base64) instead of text.</param>
/// <param name="width">The payload preview's width in characters.</param>
internal sealed class EntryDump(InspectedDirectory inspected, bool json, int width)
{
    /// <summary>Writes up to <paramref name="count"/> live entries of <paramref name="ledger"/> from <paramref name="from"/> on.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="from">The first sequence wanted.</param>
    /// <param name="count">The most entries written.</param>
    public void Write(LedgerView ledger, ulong from, int count)
    {
        if (!json)
        {
            Console.WriteLine($"ledger {ledger.Store.Prefix}: {ledger.Entries} live entries");
        }

        foreach (Entry entry in inspected.Inspector.ReadEntries(ledger.Store, from, count))
        {
            string preview = PayloadPreview.Format(entry.Payload.Span, width);
            if (!json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {entry.Sequence,20}  {SequenceText.Time(entry.Sequence)}  {entry.Payload.Length,8} B  {preview}"));
                continue;
            }

            JsonOutput.Write(
                writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("store", ledger.Store.Prefix);
                    writer.WriteNumber("sequence", entry.Sequence);
                    writer.WriteString("time", SequenceText.Time(entry.Sequence));
                    writer.WriteNumber("length", entry.Payload.Length);
                    writer.WriteString("preview", preview);
                    writer.WriteBase64String("payload", entry.Payload.Span);
                    writer.WriteEndObject();
                },
                indented: false);
        }
    }
}
