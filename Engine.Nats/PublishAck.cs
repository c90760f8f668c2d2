using System.Text.Json;

namespace Quasar.Nats;

/// <summary>
/// What JetStream answered to one publish: the stream sequence it stored the message at (or
/// already held it at, when <see cref="Duplicate"/>), or the error it refused it with.
/// </summary>
/// <param name="StreamSequence">The message's stream sequence (0 with an error).</param>
/// <param name="Duplicate">The message id was already in the duplicate window: nothing was stored.</param>
/// <param name="Error">The server's refusal, or null when the message is in the stream.</param>
internal readonly record struct PublishAck(ulong StreamSequence, bool Duplicate, string? Error)
{
    /// <summary>Reads a JetStream publish reply (<c>{"stream":..,"seq":..}</c> or <c>{"error":{..}}</c>); an empty reply means no stream listens on the subject.</summary>
    public static PublishAck Parse(ReadOnlySpan<byte> reply)
    {
        if (reply.IsEmpty)
        {
            return new PublishAck(0, false, "no stream answered (no responders on the subject)");
        }

        var reader = new Utf8JsonReader(reply);
        try
        {
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("error", out JsonElement error))
            {
                string description = error.TryGetProperty("description", out JsonElement text) ? text.GetString() ?? "" : error.GetRawText();
                return new PublishAck(0, false, description);
            }

            ulong sequence = root.TryGetProperty("seq", out JsonElement seq) ? seq.GetUInt64() : 0;
            bool duplicate = root.TryGetProperty("duplicate", out JsonElement dup) && dup.ValueKind == JsonValueKind.True;
            return sequence == 0
                ? new PublishAck(0, false, "publish reply without a stream sequence")
                : new PublishAck(sequence, duplicate, null);
        }
        catch (JsonException failure)
        {
            return new PublishAck(0, false, "unreadable publish reply: " + failure.Message);
        }
    }
}
