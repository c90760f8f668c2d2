using System.CommandLine;
using Quasar.Cli.Demo;
using Quasar.Cli.Output;

namespace Quasar.Cli.Commands;

/// <summary><c>quasar demo</c>: producers and named consumers on a queue, with a live dashboard.</summary>
internal static class DemoCommand
{
    /// <summary>The run length when neither <c>--seconds</c> nor <c>--messages</c> is given.</summary>
    public const int DefaultSeconds = 10;

    /// <summary>The largest --payload: every producer and consumer holds a batch of them, so larger ones would only measure memory.</summary>
    public const int MaxPayload = 1024 * 1024;

    /// <summary>Builds the command, its options and their checks.</summary>
    /// <returns>The <c>demo</c> command.</returns>
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            HelpName = "DIR",
            Description = "The database directory (created if missing; a second run resumes in it).",
            DefaultValueFactory = _ => "./quasar-demo",
        };
        var seconds = new Option<int?>("--seconds") { HelpName = "N", Description = $"Stop after this many seconds (default {DefaultSeconds} unless --messages is given)." };
        var messages = new Option<int?>("--messages") { HelpName = "N", Description = "Send exactly this many messages and stop once every consumer received all of them." };
        var producers = new Option<int>("--producers") { HelpName = "N", Description = "Producer threads offering load.", DefaultValueFactory = _ => 2 };
        var consumers = new Option<int>("--consumers") { HelpName = "N", Description = "Named consumers (c1, c2, ...); each receives every message.", DefaultValueFactory = _ => 2 };
        var payload = new Option<int>("--payload") { HelpName = "BYTES", Description = $"Payload size in bytes (at least {MessageStamp.Length}: send time, run and message number).", DefaultValueFactory = _ => 100 };
        var rate = new Option<int?>("--rate") { HelpName = "MSGS_PER_S", Description = "Offered load in messages per second over all producers (default: as fast as the queue takes them)." };
        var sync = new Option<bool>("--sync") { Description = "Durable writes: every ledger write is fdatasync'ed before it is acknowledged (DbOptions.SyncWrites)." };
        var batch = new Option<int>("--batch") { HelpName = "N", Description = "Producer and consumer batch size in entries.", DefaultValueFactory = _ => 256 };
        var output = new OutputOptions();

        seconds.AtLeast(1);
        messages.AtLeast(1);
        producers.Between(1, 64);
        consumers.Between(1, 64);
        payload.Between(MessageStamp.Length, MaxPayload);
        rate.AtLeast(1);
        batch.Between(1, 100_000);

        var command = new Command("demo", "Run producers and named consumers on a durable queue and watch throughput, end-to-end latency and the ledger live. Ctrl+C stops cleanly; a second run resumes the consumers where they stopped.")
        {
            directory, seconds, messages, producers, consumers, payload, rate, sync, batch,
        };
        output.AddTo(command);
        command.SetAction(async (result, _) =>
        {
            int? secondsValue = result.GetValue(seconds);
            int? messagesValue = result.GetValue(messages);
            var settings = new DemoSettings(
                Directory: result.GetRequiredValue(directory),
                Seconds: secondsValue ?? (messagesValue is null ? DefaultSeconds : null),
                Messages: messagesValue,
                Producers: result.GetValue(producers),
                Consumers: result.GetValue(consumers),
                Payload: result.GetValue(payload),
                Rate: result.GetValue(rate),
                Sync: result.GetValue(sync),
                Batch: result.GetValue(batch),
                Mode: output.Resolve(result));
            return await DemoRun.RunAsync(settings);
        });
        return command;
    }
}
