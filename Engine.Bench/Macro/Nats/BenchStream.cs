using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Quasar.Nats;

namespace Quasar.Bench.Macro.Nats;

/// <summary>
/// What both sides of W9 share so that they send the same messages: the stream and its subject,
/// the message ids (<see cref="MirrorHeaders.MessageIdFor"/> under <see cref="IdPrefix"/>), the
/// publishes in flight at most, and the check that the stream ends holding every entry once.
/// </summary>
internal static class BenchStream
{
    /// <summary>The JetStream stream (file storage) both sides publish into.</summary>
    public const string Name = "BENCH";

    /// <summary>The literal subject every message goes to.</summary>
    public const string Subject = "bench.w9";

    /// <summary>The first part of every message id.</summary>
    public const string IdPrefix = "bench";

    /// <summary>Publishes in flight at most, on both sides: <see cref="LedgerMirrorOptions.Window"/>'s default.</summary>
    public const int Window = 1024;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A connection to the bench's server.</summary>
    public static NatsConnection Connect(string url) => new(new NatsOpts { Url = url, RequestTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>Creates the stream, retrying while the server's JetStream is still starting.</summary>
    public static async Task CreateAsync(NatsConnection connection)
    {
        var js = new NatsJSContext(connection);
        var config = new StreamConfig(Name, [Subject]) { Storage = StreamConfigStorage.File, DuplicateWindow = TimeSpan.FromMinutes(2) };
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                await js.CreateStreamAsync(config, deadline.Token);
                return;
            }
            catch (NatsException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }

    /// <summary>Throws unless the stream holds exactly <paramref name="entries"/> messages (no loss, no duplicate stored).</summary>
    public static async Task VerifyCountAsync(NatsConnection connection, int entries, string side)
    {
        INatsJSStream stream = await new NatsJSContext(connection).GetStreamAsync(Name);
        if (stream.Info.State.Messages != entries)
        {
            throw new InvalidOperationException($"W9 {side}: the stream holds {stream.Info.State.Messages} messages, expected {entries}");
        }
    }

    /// <summary>The mirror's headers for the entry at <paramref name="sequence"/>, but the message id (the client's <c>MsgId</c> option sets it).</summary>
    public static NatsHeaders EntryHeaders(ulong sequence) => new()
    {
        [MirrorHeaders.Sequence] = sequence.ToString(CultureInfo.InvariantCulture),
        [MirrorHeaders.Timestamp] = Sequence.Split(sequence).Timestamp.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
}
