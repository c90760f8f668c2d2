using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

/// <summary>Builds generic hosts over one database directory with the queue "orders" and a shared <see cref="HandledLog"/>.</summary>
public static class QuasarHost
{
    public const string Queue = "orders";

    public static IHost Build(string directory, HandledLog log, Action<IServiceCollection> consumers)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(log);
        builder.Services.AddQuasar(options =>
        {
            options.Directory = directory;
            options.Queues[Queue] = new QuasarQueueOptions();
        });
        consumers(builder.Services);
        return builder.Build();
    }

    /// <summary>Writes each payload through the keyed producer of "orders"; returns the sequences in order.</summary>
    public static async Task<ulong[]> WriteAsync(IHost host, params string[] payloads)
    {
        Producer producer = host.Services.GetRequiredKeyedService<Producer>(Queue);
        List<ulong> sequences = [];
        foreach (string payload in payloads)
        {
            ulong sequence = Sequence.Generate();
            await producer.WriteAsync(new Entry(sequence, System.Text.Encoding.UTF8.GetBytes(payload))).Within();
            sequences.Add(sequence);
        }

        return [.. sequences];
    }

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync().Within();
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().Within();
        }
        else
        {
            host.Dispose();
        }
    }
}
