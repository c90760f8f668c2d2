using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting.EndToEnd;

/// <summary>
/// A real ASP.NET Core host over one database directory, as an application would run Quasar: Kestrel
/// on a free loopback port, <c>POST /orders</c> writing the request body through the keyed producer of
/// the queue "orders" and answering with the sequence the producer assigned, and two hosted consumers
/// of that queue, "billing" (<see cref="BillingHandler"/>) and "shipping" (<see cref="ShippingHandler"/>).
/// Tests drive it over HTTP only.
/// </summary>
public sealed class OrdersApp : IAsyncDisposable
{
    public const string Queue = "orders";

    /// <summary>The attempts at one order before billing gives up on it (kept low so the poison order costs little time).</summary>
    public const int MaxAttempts = 3;

    private readonly WebApplication app;
    private bool disposed;

    private OrdersApp(WebApplication app, HttpClient client)
    {
        this.app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Builds and starts the app on <paramref name="directory"/>; its shipping consumer handles at most <paramref name="shippingLimit"/> orders.</summary>
    public static async Task<OrdersApp> StartAsync(string directory, HandledLog log, int shippingLimit = int.MaxValue)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(new ShippingGate(shippingLimit));
        builder.Services.AddQuasar(options =>
        {
            options.Directory = directory;
            options.Queues[Queue] = new QuasarQueueOptions();
        });
        builder.Services.AddConsumer<BillingHandler>(Queue, "billing", options =>
        {
            options.MaxAttempts = MaxAttempts;
            options.InitialBackoff = TimeSpan.FromMilliseconds(1);
            options.MaxBackoff = TimeSpan.FromMilliseconds(4);
        });
        builder.Services.AddConsumer<ShippingHandler>(Queue, "shipping");

        WebApplication app = builder.Build();
        app.MapPost("/orders", async ([FromKeyedServices(Queue)] Producer producer, HttpRequest request) =>
        {
            using MemoryStream body = new();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            ulong sequence = await producer.WriteAsync(body.ToArray(), request.HttpContext.RequestAborted);
            return Results.Text(sequence.ToString(CultureInfo.InvariantCulture));
        });
        await app.StartAsync().Within();
        return new OrdersApp(app, new HttpClient { BaseAddress = new Uri(app.Urls.Single()) });
    }

    /// <summary>Posts one order; returns the sequence the app answered with.</summary>
    public async Task<ulong> PostAsync(string order)
    {
        using StringContent content = new(order);
        using HttpResponseMessage response = await Client.PostAsync(new Uri("/orders", UriKind.Relative), content).Within();
        response.EnsureSuccessStatusCode();
        return ulong.Parse(await response.Content.ReadAsStringAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Posts every order, a few requests at a time as concurrent clients would; returns each order's answered sequence, in the caller's order.</summary>
    public async Task<ulong[]> PostAllAsync(IReadOnlyList<string> orders)
    {
        ulong[] sequences = new ulong[orders.Count];
        await Parallel.ForAsync(0, orders.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) => sequences[i] = await PostAsync(orders[i]));
        return sequences;
    }

    /// <summary>Stops the host gracefully (<see cref="WebApplication.StopAsync"/>) and returns how long the stop took; then disposes it.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        Stopwatch watch = Stopwatch.StartNew();
        await app.StopAsync().Within();
        TimeSpan took = watch.Elapsed;
        await DisposeAsync();
        return took;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Client.Dispose();
        await app.DisposeAsync().AsTask().Within();
    }
}
