using System.Globalization;
using NATS.Client.Core;

namespace Quasar.Nats;

/// <summary>
/// The headers <see cref="LedgerMirror"/> puts on each message: the JetStream message id
/// (<c>&lt;prefix&gt;:&lt;sequence&gt;</c>, de-duplicated by the server within the stream's duplicate
/// window), the entry's sequence, and the timestamp that sequence carries (<see cref="Sequence.Split"/>).
/// </summary>
public static class MirrorHeaders
{
    /// <summary>JetStream's message id header.</summary>
    public const string MessageId = "Nats-Msg-Id";

    /// <summary>JetStream's header making a publish conditional on the stream's last message id.</summary>
    public const string ExpectedLastMessageId = "Nats-Expected-Last-Msg-Id";

    /// <summary>The entry's sequence, in decimal.</summary>
    public const string Sequence = "Quasar-Sequence";

    /// <summary>The timestamp of the entry's sequence, ISO 8601 in UTC (whole seconds).</summary>
    public const string Timestamp = "Quasar-Timestamp";

    /// <summary>The message id of the entry at <paramref name="sequence"/> mirrored under <paramref name="prefix"/>.</summary>
    public static string MessageIdFor(string prefix, ulong sequence) =>
        prefix + ":" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The headers for one entry. <paramref name="previousId"/>, when given, makes the publish
    /// conditional on that id being the stream's last message, so that messages pipelined behind
    /// one the server lost are refused instead of stored out of order.
    /// </summary>
    internal static NatsHeaders For(string id, ulong sequence, string? previousId)
    {
        var headers = new NatsHeaders
        {
            [MessageId] = id,
            [Sequence] = sequence.ToString(CultureInfo.InvariantCulture),
            [Timestamp] = Quasar.Sequence.Split(sequence).Timestamp.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (previousId is not null)
        {
            headers[ExpectedLastMessageId] = previousId;
        }

        return headers;
    }
}
