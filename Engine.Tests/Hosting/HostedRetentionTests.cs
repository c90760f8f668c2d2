using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Quasar.Hosting;
using Quasar.Storage.Segments;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Hosting;

/// <summary>
/// Retention by age and size on a hosted queue (issue 14): <c>Queues:&lt;name&gt;:MaxAge</c> and
/// <c>MaxBytes</c> reach the queue's cleaner, which runs on the Db's clock, here a fake one taken
/// from the container. A stored position at 0 stands for a consumer that never marked: only the
/// hard limits may delete past it.
/// </summary>
public sealed class HostedRetentionTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static async Task<IHost> StartAsync(string directory, FakeTimeProvider clock, Action<QuasarQueueOptions> limits)
    {
        IHost host = QuasarHost.Build(directory, new HandledLog(), services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.Configure<QuasarOptions>(options =>
            {
                options.Queues[QuasarHost.Queue].CleanInterval = Minute;
                limits(options.Queues[QuasarHost.Queue]);
            });
        });
        await host.StartAsync().Within();
        host.Services.GetRequiredKeyedService<Queue>(QuasarHost.Queue).Table.Set("behind", 0);
        return host;
    }

    /// <summary>Writes each payload alone through the queue's producer, which takes its sequence from the Db's (fake) clock.</summary>
    private static async Task<ulong[]> WriteAsync(IHost host, int count, int payloadLength)
    {
        Producer producer = host.Services.GetRequiredKeyedService<Producer>(QuasarHost.Queue);
        ulong[] written = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            written[i] = await producer.WriteAsync(new byte[payloadLength]).Within();
        }

        return written;
    }

    [Fact]
    public async Task The_hosted_queues_cleaner_deletes_the_entries_older_than_MaxAge()
    {
        using var dir = new TempDirectory();
        FakeTimeProvider clock = FakeClock.Create();
        IHost host = await StartAsync(dir.Path, clock, queue => queue.MaxAge = TimeSpan.FromMinutes(10));
        Ledger ledger = host.Services.GetRequiredKeyedService<Queue>(QuasarHost.Queue).Ledger;
        ulong[] old = await WriteAsync(host, 2, 10);
        clock.Advance(TimeSpan.FromMinutes(5));
        ulong[] young = await WriteAsync(host, 1, 10);

        await clock.AdvanceUntil(Minute, () => ledger.Tail >= old[^1], "the cleaner deleted the entries older than 10 minutes");
        ulong[] live = Live(ledger);
        await QuasarHost.StopAsync(host);

        Assert.Equal(young, live);
    }

    [Fact]
    public async Task The_hosted_queues_cleaner_deletes_the_oldest_entries_beyond_MaxBytes()
    {
        using var dir = new TempDirectory();
        long entryBytes = SegmentLog.MeasureBatch([new Entry(1, new byte[100])]); // each entry is written alone: its batch header counts with it
        FakeTimeProvider clock = FakeClock.Create();
        IHost host = await StartAsync(dir.Path, clock, queue => queue.MaxBytes = 3 * entryBytes);
        Ledger ledger = host.Services.GetRequiredKeyedService<Queue>(QuasarHost.Queue).Ledger;
        ulong[] written = await WriteAsync(host, 10, 100);

        await clock.AdvanceUntil(Minute, () => ledger.Length <= 3, "the cleaner cut the queue down to 3 entries' bytes");
        ulong[] live = Live(ledger);
        await QuasarHost.StopAsync(host);

        Assert.Equal(written[^3..], live);
    }
}
