using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

public sealed class HostedConsumerTests
{
    [Fact]
    public async Task Two_consumers_each_handle_every_message_once()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost host = QuasarHost.Build(dir.Path, log, services => services
            .AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first")
            .AddConsumer<RecordingHandler<Second>>(QuasarHost.Queue, "second"));
        await host.StartAsync().Within();

        ulong[] written = await QuasarHost.WriteAsync(host, [.. Enumerable.Range(0, 20).Select(i => $"m{i}")]);
        await Bounded.Until(() => log.Count(nameof(First)) >= 20 && log.Count(nameof(Second)) >= 20, "both consumers handled 20 entries");
        await QuasarHost.StopAsync(host);

        Assert.Equal(written, log.Of(nameof(First)));
        Assert.Equal(written, log.Of(nameof(Second)));
    }

    [Fact]
    public async Task A_restarted_host_resumes_after_the_entries_already_handled()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        Action<IServiceCollection> consumers = services => services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first");
        IHost before = QuasarHost.Build(dir.Path, log, consumers);
        await before.StartAsync().Within();
        ulong[] early = await QuasarHost.WriteAsync(before, "a", "b", "c");
        await Bounded.Until(() => log.Count(nameof(First)) >= 3, "the first host handled 3 entries");
        await QuasarHost.StopAsync(before);

        IHost after = QuasarHost.Build(dir.Path, log, consumers);
        await after.StartAsync().Within();
        ulong[] late = await QuasarHost.WriteAsync(after, "d");
        await Bounded.Until(() => log.Count(nameof(First)) >= 4, "the second host handled the new entry");
        await QuasarHost.StopAsync(after);

        Assert.Equal([.. early, .. late], log.Of(nameof(First)));
    }

    [Fact]
    public async Task A_poison_message_goes_to_the_dead_letter_ledger_after_MaxAttempts_and_later_messages_flow()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost host = QuasarHost.Build(dir.Path, log, services => services.AddConsumer<PoisonAwareHandler>(QuasarHost.Queue, "worker", options =>
        {
            options.MaxAttempts = 3;
            options.InitialBackoff = TimeSpan.FromMilliseconds(1);
            options.MaxBackoff = TimeSpan.FromMilliseconds(4);
        }));
        await host.StartAsync().Within();

        ulong[] written = await QuasarHost.WriteAsync(host, "ok", "poison", "after");
        await Bounded.Until(() => log.Count("handled") >= 2, "the entries around the poison one were handled");
        Ledger deadLetters = host.Services.GetRequiredService<QuasarQueues>().GetDeadLetters(QuasarHost.Queue);
        DeadLetter dead = DeadLetter.Decode(Assert.Single(deadLetters.Read(0, 10)));
        await QuasarHost.StopAsync(host);

        Assert.Equal([written[0], written[2]], log.Of("handled"));
        Assert.Equal([written[1], written[1], written[1]], log.Of("attempt"));
        Assert.Equal(written[1], dead.Sequence);
        Assert.Equal("worker", dead.Consumer);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal($"System.InvalidOperationException: cannot digest {written[1]}", dead.Error);
        Assert.Equal("poison"u8.ToArray(), dead.Payload.ToArray());
    }

    [Fact]
    public async Task Stopping_cancels_the_handler_in_flight_and_keeps_the_marks_made_before()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        Action<IServiceCollection> consumers = services => services.AddConsumer<StopAwareHandler>(QuasarHost.Queue, "worker");
        IHost before = QuasarHost.Build(dir.Path, log, consumers);
        await before.StartAsync().Within();
        ulong[] written = await QuasarHost.WriteAsync(before, "a", "b", "slow");
        await Bounded.Until(() => log.Count("started") >= 1, "the slow entry is in flight");
        await QuasarHost.StopAsync(before);
        Assert.Equal([written[2]], log.Of("cancelled"));

        IHost after = QuasarHost.Build(dir.Path, log, consumers);
        await after.StartAsync().Within();
        await Bounded.Until(() => log.Count("started") >= 2, "the unfinished entry is delivered again");
        await QuasarHost.StopAsync(after);

        Assert.Equal([written[0], written[1]], log.Of("handled"));
        Assert.Equal([written[2], written[2]], log.Of("started"));
    }
}
