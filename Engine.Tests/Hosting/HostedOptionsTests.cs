using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

/// <summary>
/// The engine's consumer knobs per hosted consumer (<see cref="QuasarConsumerOptions"/>) and
/// producer knobs per queue (<see cref="QuasarQueueOptions.Producer"/>): validated at start naming
/// the field, bound from configuration, and in effect on the consumer and producer the host runs.
/// </summary>
public sealed class HostedOptionsTests
{
    private static async Task<string> StartFailsAsync(Action<IServiceCollection> configure)
    {
        using var dir = new TempDirectory();
        IHost host = QuasarHost.Build(dir.Path, new HandledLog(), configure);
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().Within());
        host.Dispose();
        return e.Message;
    }

    [Fact]
    public async Task A_consumer_Skip_not_below_its_Window_fails_the_start_naming_Skip()
    {
        string message = await StartFailsAsync(services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first", o => o.Skip = 1));

        Assert.Contains("Consumer 'first' of queue 'orders': QuasarConsumerOptions.Skip (1) must be below Window (1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_Deadline_beyond_the_longest_timer_fails_the_start_naming_Deadline()
    {
        string message = await StartFailsAsync(services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first", o => o.Deadline = TimeSpan.FromDays(60)));

        Assert.Contains("QuasarConsumerOptions.Deadline must be at most", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_producer_Batch_of_zero_fails_the_start_naming_the_queue_and_field()
    {
        string message = await StartFailsAsync(services => services.Configure<QuasarOptions>(o => o.Queues[QuasarHost.Queue].Producer = new ProducerOptions { Batch = 0 }));

        Assert.Contains("Queues[orders].Producer.Batch must be at least 1; got 0.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_producer_Retry_without_a_Delay_fails_the_start_naming_both()
    {
        string message = await StartFailsAsync(services => services.Configure<QuasarOptions>(o => o.Queues[QuasarHost.Queue].Producer = new ProducerOptions { Retry = 2 }));

        Assert.Contains("Queues[orders].Producer.Retry above 0 needs Queues[orders].Producer.Delay above zero.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consumer_options_bind_from_a_configuration_section_in_the_configure_action()
    {
        IConfiguration section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Window"] = "8",
            ["Skip"] = "3",
            ["Deadline"] = "00:05:00",
            ["MaxAttempts"] = "2",
        }).Build();
        ServiceCollection services = new();
        services.AddConsumer<RecordingHandler<First>>("orders", "first", o => section.Bind(o));
        using ServiceProvider provider = services.BuildServiceProvider();

        QuasarConsumerOptions consumer = provider.GetRequiredService<ConsumerRegistration>().Options;

        Assert.Equal((8, 3, TimeSpan.FromMinutes(5), 2), (consumer.Window, consumer.Skip, consumer.Deadline, consumer.MaxAttempts));
    }

    [Fact]
    public async Task The_queues_producer_runs_with_the_configured_options()
    {
        using var dir = new TempDirectory();
        IHost host = QuasarHost.Build(dir.Path, new HandledLog(), services =>
            services.Configure<QuasarOptions>(o => o.Queues[QuasarHost.Queue].Producer = new ProducerOptions { Filter = true }));
        await host.StartAsync().Within();
        Producer producer = host.Services.GetRequiredKeyedService<Producer>(QuasarHost.Queue);
        await producer.WriteAsync(new Entry(5, "a"u8.ToArray())).Within();

        // Without Filter this fails with NotMonotonicException; with it the entry is dropped as already written.
        await producer.WriteAsync(new Entry(3, "b"u8.ToArray())).Within();
        long length = host.Services.GetRequiredKeyedService<Queue>(QuasarHost.Queue).Ledger.Length;
        await QuasarHost.StopAsync(host);

        Assert.Equal(1, length);
    }

    [Fact]
    public async Task A_consumer_with_Start_begins_there_when_nothing_is_stored()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost writer = QuasarHost.Build(dir.Path, log, _ => { });
        await writer.StartAsync().Within();
        ulong[] written = await QuasarHost.WriteAsync(writer, "a", "b", "c");
        await QuasarHost.StopAsync(writer);

        IHost host = QuasarHost.Build(dir.Path, log, services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first", o => o.Start = written[1]));
        await host.StartAsync().Within();
        await Bounded.Until(() => log.Count(nameof(First)) >= 2, "the consumer handled the entries from Start");
        await QuasarHost.StopAsync(host);

        Assert.Equal(written[1..], log.Of(nameof(First)));
    }

    [Fact]
    public async Task Marks_held_by_Skip_are_persisted_when_the_host_stops()
    {
        // Before the worker queued its marks instead of awaiting each, a held mark never completed and the worker hung.
        using var dir = new TempDirectory();
        HandledLog log = new();
        Action<IServiceCollection> consumer = services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first", o =>
        {
            o.Window = 10;
            o.Skip = 9;
        });
        IHost before = QuasarHost.Build(dir.Path, log, consumer);
        await before.StartAsync().Within();
        ulong[] written = await QuasarHost.WriteAsync(before, "a", "b", "c");
        await Bounded.Until(() => log.Count(nameof(First)) >= 3, "the worker handled 3 entries");
        await QuasarHost.StopAsync(before);

        IHost after = QuasarHost.Build(dir.Path, log, consumer);
        await after.StartAsync().Within();
        ulong[] late = await QuasarHost.WriteAsync(after, "d");
        await Bounded.Until(() => log.Count(nameof(First)) >= 4, "the restarted worker handled the new entry");
        await QuasarHost.StopAsync(after);

        Assert.Equal([.. written, .. late], log.Of(nameof(First)));
    }
}
