using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

/// <summary>
/// Liveness under racing writers, flushes and batch timeouts: every ack, every WriteAsync and
/// every FlushAsync completes (a lost wake-up of the producer's loop would hang one of them).
/// </summary>
public sealed class ProducerLivenessTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 0)]
    [InlineData(7, 1)]
    [InlineData(50, 2)]
    [InlineData(50, 3_600_000)]
    public async Task Every_write_and_flush_completes_while_writers_race_flushes(int batch, int timeoutMs)
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = batch, Timeout = TimeSpan.FromMilliseconds(timeoutMs), Filter = true });
        long acked = 0;
        void Ack(Exception? error) => Interlocked.Increment(ref acked);
        const int Writers = 3;
        const int PerWriter = 300;

        async Task Writer(int id)
        {
            var random = new Random(id);
            for (int i = 0; i < PerWriter; i++)
            {
                var entry = new Entry(Sequence.Generate(), new byte[8]);
                switch (random.Next(4))
                {
                    case 0:
                        Assert.True(producer.Write(entry, Ack));
                        break;
                    case 1:
                        // With a long Timeout a lone entry is written only when a batch fills or a
                        // flush asks for it, so this writer asks.
                        Task written = producer.WriteAsync(entry).ContinueWith(_ => Ack(null), TaskScheduler.Default);
                        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(20));
                        await written.WaitAsync(TimeSpan.FromSeconds(20));
                        break;
                    case 2:
                        while (!producer.TryWrite(entry, Ack))
                        {
                            await Task.Yield();
                        }

                        break;
                    default:
                        Assert.True(producer.Write(entry, Ack));
                        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(20));
                        break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(id => Task.Run(() => Writer(id)))).WaitAsync(TimeSpan.FromSeconds(60));
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Writers * PerWriter, Interlocked.Read(ref acked));
    }
}
