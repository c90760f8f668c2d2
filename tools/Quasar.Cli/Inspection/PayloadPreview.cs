using System.Text;

namespace Quasar.Cli.Inspection;

/// <summary>A payload shown in a fixed width: as text when it is printable UTF-8, else as hex.</summary>
internal static class PayloadPreview
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The payload as <c>"text"</c> (quoted) when it decodes as UTF-8 with no control characters, else as lower-case hex; cut to <paramref name="width"/> characters with a trailing <c>...</c>.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="width">The most characters shown (at least 8).</param>
    /// <returns>The preview.</returns>
    public static string Format(ReadOnlySpan<byte> payload, int width)
    {
        string? text = Printable(payload);
        string full = text is null ? Convert.ToHexStringLower(payload[..Math.Min(payload.Length, width)]) : "\"" + text + "\"";
        return full.Length <= width ? full : string.Concat(full.AsSpan(0, width - 3), "...");
    }

    private static string? Printable(ReadOnlySpan<byte> payload)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return text.Any(char.IsControl) ? null : text;
    }
}
