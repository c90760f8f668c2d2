using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

/// <summary>Released by the test only: stands for work that does not listen to its cancellation token.</summary>
public sealed class Stuck
{
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Records each entry; for the payload "stuck" first waits for <see cref="Stuck.Release"/>, ignoring its token.</summary>
public sealed class TokenIgnoringHandler(HandledLog log, Stuck stuck) : IQuasarHandler
{
    public async ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Payload.Span.SequenceEqual("stuck"u8))
        {
            log.Add("started", entry.Sequence);
            await stuck.Release.Task.ConfigureAwait(false);
        }

        log.Add("handled", entry.Sequence);
    }
}

/// <summary>For the payload "slow" waits for the stop, then finishes the entry anyway (a handler that completes its work when asked to stop).</summary>
public sealed class FinishingHandler(HandledLog log) : IQuasarHandler
{
    public async ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Payload.Span.SequenceEqual("slow"u8))
        {
            log.Add("started", entry.Sequence);
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        log.Add("handled", entry.Sequence);
    }
}

/// <summary>Graceful stop (issue 14): the host's shutdown timeout bounds the stop whatever a handler does, and no mark is lost or invented.</summary>
public sealed class HostedShutdownTests
{
    [Fact]
    public async Task A_handler_that_ignores_its_token_does_not_hold_the_host_beyond_its_shutdown_timeout()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        Stuck stuck = new();
        IHost before = QuasarHost.Build(dir.Path, log, services =>
        {
            services.AddSingleton(stuck);
            services.AddConsumer<TokenIgnoringHandler>(QuasarHost.Queue, "worker");
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        });
        await before.StartAsync().Within();
        ulong[] written = await QuasarHost.WriteAsync(before, "ok", "stuck");
        await Bounded.Until(() => log.Count("started") >= 1, "the handler is stuck on the second entry");

        await QuasarHost.StopAsync(before); // bounded by Within: the stop returns although the handler never does
        stuck.Release.SetResult(); // the abandoned handler returns now; its worker finds its consumer closed
        StoreCheck.AssertNoErrors(dir.Path);

        IHost after = QuasarHost.Build(dir.Path, log, services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "worker"));
        await after.StartAsync().Within();
        await Bounded.Until(() => log.Count(nameof(First)) >= 1, "the restarted worker handled what was left");
        await QuasarHost.StopAsync(after);

        Assert.Equal([written[1]], log.Of(nameof(First))); // the entry handled before the stop stays marked; the abandoned one comes again
    }

    [Fact]
    public async Task An_entry_its_handler_finishes_after_the_stop_request_is_marked_and_not_delivered_again()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost before = QuasarHost.Build(dir.Path, log, services => services.AddConsumer<FinishingHandler>(QuasarHost.Queue, "worker"));
        await before.StartAsync().Within();
        ulong[] written = await QuasarHost.WriteAsync(before, "slow");
        await Bounded.Until(() => log.Count("started") >= 1, "the slow entry is in flight");
        await QuasarHost.StopAsync(before);
        Assert.Equal(written, log.Of("handled"));

        IHost after = QuasarHost.Build(dir.Path, log, services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "worker"));
        await after.StartAsync().Within();
        ulong[] late = await QuasarHost.WriteAsync(after, "next");
        await Bounded.Until(() => log.Count(nameof(First)) >= 1, "the restarted worker handled the new entry");
        await QuasarHost.StopAsync(after);

        Assert.Equal(late, log.Of(nameof(First)));
    }
}
