using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Quasar.Bench.Macro.Nats;
using Quasar.Nats;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// W9's ceiling: a plain NATS.Net JetStream publisher of the messages the mirror sends (same
/// subject, payloads, message ids and sequence/timestamp headers), at most
/// <see cref="BenchStream.Window"/> publishes in flight. It runs no other workload.
/// </summary>
public sealed class NatsEngine : IEngineWorkloads, IMirrorWorkload
{
    public string Name => "nats";

    public bool Supports(string workload) => false;

    public string Mode(string workload) => workload == "W9"
        ? "plain NATS.Net: NatsJSContext.PublishAsync with MsgId and the mirror's headers, 1,024 in flight (concurrent requests, no expected-last condition); latency from the publish call to its ack"
        : throw new ArgumentOutOfRangeException(nameof(workload), workload, null);

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite) => throw Unsupported();

    public TimeSpan Open(string directory, int entries) => throw Unsupported();

    public TimeSpan ReadAll(string directory, int entries) => throw Unsupported();

    public TimeSpan PointReads(string directory, int entries, int reads, int seed) => throw Unsupported();

    public LatencyRun Mirror(string directory, int entries, string natsUrl) => PublishAllAsync(entries, natsUrl).GetAwaiter().GetResult();

    private static NotSupportedException Unsupported() => new("the nats engine runs only W9");

    private static async Task<LatencyRun> PublishAllAsync(int entries, string natsUrl)
    {
        await using NatsConnection connection = BenchStream.Connect(natsUrl);
        await BenchStream.CreateAsync(connection);
        using var publisher = new Publisher(new NatsJSContext(connection), entries);
        long started = Stopwatch.GetTimestamp();
        await publisher.RunAsync();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        await BenchStream.VerifyCountAsync(connection, entries, "nats");
        return LatencyRun.From(elapsed, publisher.Latencies);
    }

    /// <summary>
    /// Publishes 1..N, each as its own request task; a semaphore of <see cref="BenchStream.Window"/>
    /// permits bounds those in flight.
    /// </summary>
    /// <remarks>Protocol: <see cref="RunAsync"/> starts the tasks from one loop; each task writes only its own latency slot, records the first failure by compare-exchange and returns its permit; taking back every permit waits for all.</remarks>
    private sealed class Publisher(NatsJSContext js, int entries) : IDisposable
    {
        private readonly SemaphoreSlim inFlight = new(BenchStream.Window);
        private Exception? failure;

        public int[] Latencies { get; } = new int[entries];

        public void Dispose() => inFlight.Dispose();

        public async Task RunAsync()
        {
            for (int i = 0; i < entries && Volatile.Read(ref failure) is null; i++)
            {
                await inFlight.WaitAsync();
                _ = PublishOneAsync(i);
            }

            for (int i = 0; i < BenchStream.Window; i++)
            {
                await inFlight.WaitAsync();
            }

            if (failure is not null)
            {
                throw new InvalidOperationException("W9 nats: a publish failed", failure);
            }
        }

        private async Task PublishOneAsync(int index)
        {
            try
            {
                ulong sequence = (ulong)index + 1;
                var payload = new byte[BenchPayload.Length];
                BenchPayload.Write(payload, sequence);
                var options = new NatsJSPubOpts { MsgId = MirrorHeaders.MessageIdFor(BenchStream.IdPrefix, sequence) };
                long sent = Stopwatch.GetTimestamp();
                PubAckResponse ack = await js.PublishAsync(BenchStream.Subject, payload, opts: options, headers: BenchStream.EntryHeaders(sequence));
                Latencies[index] = LatencyRun.Microseconds(sent, Stopwatch.GetTimestamp());
                ack.EnsureSuccess();
                if (ack.Duplicate)
                {
                    throw new InvalidOperationException($"W9 nats: message {sequence} was reported a duplicate");
                }
            }
#pragma warning disable CA1031 // the first failure ends the run and is rethrown by RunAsync
            catch (Exception error)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, error, null);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }
}
