namespace Quasar.Nats;

/// <summary>
/// Runs one session after another until stopped: a session that fails is reported and, after a
/// delay, replaced by a fresh one, so a server restart or a lost connection costs one session and
/// never stops the bridge. <see cref="ObjectDisposedException"/> (the ledger or its Db closed) is
/// final: nothing a retry could mend.
/// </summary>
/// <remarks>
/// Protocol: <see cref="Start"/> once; afterwards only the loop task calls the session delegate,
/// one session at a time. <see cref="StopAsync"/> and <see cref="DisposeAsync"/> may run on any
/// thread, any number of times: they cancel the session's token and wait for the loop to end.
/// <see cref="Retries"/> is written by the loop and read anywhere (interlocked).
/// </remarks>
internal sealed class RetryLoop : IAsyncDisposable
{
    private readonly string name;
    private readonly Func<CancellationToken, Task> session;
    private readonly TimeSpan delay;
    private readonly Action<Exception>? errors;
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private long retries;

    /// <summary>Creates the loop for the bridge named <paramref name="name"/> ("mirror", "ingest": for messages); nothing runs before <see cref="Start"/>.</summary>
    public RetryLoop(string name, Func<CancellationToken, Task> session, TimeSpan delay, Action<Exception>? errors)
    {
        this.name = name;
        this.session = session;
        this.delay = delay;
        this.errors = errors;
    }

    /// <summary>Sessions that ended with an error and were started again.</summary>
    public long Retries => Interlocked.Read(ref retries);

    /// <summary>Completes when the loop ends: at stop, or faulted with a final error.</summary>
    public Task Completion => loop ?? Task.CompletedTask;

    /// <summary>Starts the first session. A second call throws <see cref="InvalidOperationException"/>.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref loop, Task.CompletedTask, null) is not null)
        {
            throw new InvalidOperationException($"The {name} was started already.");
        }

        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);

        loop = Task.Run(RunAsync);
    }

    /// <summary>Cancels the running session and waits (as long as <paramref name="cancellationToken"/> allows) for the loop to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        Task? running = Volatile.Read(ref loop);
        if (running is not null)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops the loop; a final error stays visible in <see cref="Completion"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task RunAsync()
    {
        CancellationToken token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await session(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                throw;
            }
            catch (Exception failure)
            {
                Interlocked.Increment(ref retries);
                Report(failure);
            }

            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Report(Exception failure)
    {
        try
        {
            errors?.Invoke(failure);
        }
#pragma warning disable CA1031 // a throwing callback must not end the loop it reports on
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
