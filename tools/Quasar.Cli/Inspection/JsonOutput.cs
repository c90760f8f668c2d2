using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Quasar.Cli.Inspection;

/// <summary>
/// JSON on stdout for the operator commands: written field by field in a fixed order, so the same
/// directory always gives the same bytes (the golden tests compare them). Only what JSON requires
/// is escaped: the output is for scripts and people, never embedded in HTML.
/// </summary>
internal static class JsonOutput
{
    /// <summary>A <c>--json</c> option for a command whose result is <paramref name="what"/>.</summary>
    /// <param name="what">What the JSON holds, for the help text.</param>
    /// <returns>The option.</returns>
    public static Option<bool> CreateOption(string what) => new("--json") { Description = $"Print {what} as JSON on stdout instead of text." };

    /// <summary>Writes one JSON value built by <paramref name="body"/> to stdout, followed by a newline.</summary>
    /// <param name="body">Writes the value.</param>
    /// <param name="indented">An indented document (true) or one line, for JSON lines (false).</param>
    public static void Write(Action<Utf8JsonWriter> body, bool indented = true)
    {
        using Stream stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(writer);
        }

        stdout.Write("\n"u8);
    }

    /// <summary>Writes a sequence as an object: the number and its UTC timestamp.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="sequence">The sequence.</param>
    public static void WriteSequence(this Utf8JsonWriter writer, string name, ulong sequence)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("sequence", sequence);
        writer.WriteString("time", SequenceText.Time(sequence));
        writer.WriteEndObject();
    }
}
