using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

public sealed class QuasarOptionsTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(Action<QuasarOptions> configure, Action<IServiceCollection>? more = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddQuasar(configure);
        more?.Invoke(builder.Services);
        using IHost host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().Within());
    }

    private static async Task<OptionsValidationException> QueueFailsAsync(QuasarQueueOptions orders)
    {
        using var dir = new TempDirectory();
        return await StartFailsAsync(o =>
        {
            o.Directory = dir.Path;
            o.Queues["orders"] = orders;
        });
    }

    [Fact]
    public async Task An_empty_directory_fails_the_start_naming_Directory()
    {
        OptionsValidationException e = await StartFailsAsync(_ => { });

        Assert.Contains("Directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_prefix_fails_the_start_naming_the_queue_and_field()
    {
        OptionsValidationException e = await QueueFailsAsync(new QuasarQueueOptions { Prefix = "no/slash" });

        Assert.Contains("Queues[orders].Prefix", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_retention_fails_the_start_naming_the_field()
    {
        OptionsValidationException e = await QueueFailsAsync(new QuasarQueueOptions { Retention = -1 });

        Assert.Contains("Queues[orders].Retention", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_MaxAge_fails_the_start_naming_the_field()
    {
        OptionsValidationException e = await QueueFailsAsync(new QuasarQueueOptions { CleanInterval = TimeSpan.FromMinutes(1), MaxAge = TimeSpan.FromSeconds(-1) });

        Assert.Contains("Queues[orders].MaxAge", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_MaxBytes_fails_the_start_naming_the_field()
    {
        OptionsValidationException e = await QueueFailsAsync(new QuasarQueueOptions { CleanInterval = TimeSpan.FromMinutes(1), MaxBytes = -1 });

        Assert.Contains("Queues[orders].MaxBytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retention_limit_without_a_CleanInterval_fails_the_start_naming_CleanInterval()
    {
        OptionsValidationException e = await QueueFailsAsync(new QuasarQueueOptions { MaxAge = TimeSpan.FromMinutes(10) });

        Assert.Contains("Queues[orders].CleanInterval", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_of_an_unknown_queue_fails_the_start_naming_it()
    {
        using var dir = new TempDirectory();
        OptionsValidationException e = await StartFailsAsync(
            o => o.Directory = dir.Path,
            services => services.AddConsumer<RecordingHandler<First>>("missing", "first"));

        Assert.Contains("'missing'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_MaxAttempts_fails_the_start_naming_the_consumer_and_the_field()
    {
        using var dir = new TempDirectory();
        OptionsValidationException e = await StartFailsAsync(
            o =>
            {
                o.Directory = dir.Path;
                o.Queues["orders"] = new QuasarQueueOptions();
            },
            services => services.AddConsumer<RecordingHandler<First>>("orders", "first", o => o.MaxAttempts = 0));

        Assert.Contains("Consumer 'first' of queue 'orders': QuasarConsumerOptions.MaxAttempts must be at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        using var dir = new TempDirectory();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Quasar:Directory"] = dir.Path,
            ["Quasar:Queues:orders:Prefix"] = "shop.orders",
            ["Quasar:Queues:orders:Retention"] = "10",
            ["Quasar:Queues:orders:CleanInterval"] = "00:00:30",
            ["Quasar:Queues:orders:MaxAge"] = "00:10:00",
            ["Quasar:Queues:orders:MaxBytes"] = "1048576",
            ["Quasar:Queues:orders:Producer:Batch"] = "64",
            ["Quasar:Queues:orders:Producer:Timeout"] = "00:00:00.005",
            ["Quasar:Queues:orders:Producer:Filter"] = "true",
        }).Build();
        ServiceCollection services = new();
        services.AddQuasar(configuration.GetSection("Quasar"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        QuasarQueues queues = provider.GetRequiredService<QuasarQueues>();

        Assert.Equal(["orders"], queues.Names);
        Assert.Same(queues.GetQueue("orders"), provider.GetRequiredKeyedService<Queue>("orders"));
        QuasarQueueOptions orders = provider.GetRequiredService<IOptions<QuasarOptions>>().Value.Queues["orders"];
        Assert.Equal(10, orders.Retention);
        Assert.Equal(TimeSpan.FromMinutes(10), orders.MaxAge);
        Assert.Equal(1048576, orders.MaxBytes);
        Assert.Equal(new ProducerOptions { Batch = 64, Timeout = TimeSpan.FromMilliseconds(5), Filter = true }, orders.Producer);
    }
}
