using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Quasar.Hosting;

/// <summary>
/// Runs one named consumer: reads it, calls a fresh <typeparamref name="THandler"/> per attempt,
/// marks each entry once handled or dead-lettered, so one poison entry cannot stall the queue.
/// Protocol: entries are handled one at a time on the <see cref="ExecuteAsync"/> loop, each marked
/// (queued on the consumer's marker) once handled; stopping cancels the handler's token and the
/// read; disposing the consumer on the way out applies the marks queued and persists those held.
/// </summary>
/// <typeparam name="THandler">The handler, resolved from a new scope per attempt.</typeparam>
internal sealed class ConsumerWorker<THandler>(
    QuasarQueues queues,
    IServiceScopeFactory scopes,
    ConsumerRegistration registration,
    ILogger logger,
    TimeProvider clock) : BackgroundService
    where THandler : IQuasarHandler
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Queue queue = queues.GetQueue(registration.QueueName);
        DeadLetterLedger deadLetters = queues.DeadLettersOf(registration.QueueName);
        Consumer consumer = queue.CreateConsumer(registration.Options.ToConsumerOptions(registration.ConsumerName));
        await using (consumer.ConfigureAwait(false))
        {
            registration.Status.Running(consumer);
            try
            {
                await foreach (Entry entry in consumer.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    await HandleOrDeadLetterAsync(entry, deadLetters, stoppingToken).ConfigureAwait(false);
                    // Queued, not awaited: with Skip above 0 a held mark completes only with a later one, so
                    // awaiting each would wait forever. A queued mark is applied and persisted even when the
                    // host stops next (disposing the consumer drains the queue, then writes what is held);
                    // a failed write kills the consumer, which ends the read below with its error.
                    consumer.Mark(entry.Sequence);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                registration.Status.Died($"{e.GetType().FullName}: {e.Message}");
                throw;
            }
            finally
            {
                registration.Status.Left();
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                registration.Status.Died("the consumer closed while the host was running");
            }
        }
    }

    private async Task HandleOrDeadLetterAsync(Entry entry, DeadLetterLedger deadLetters, CancellationToken stoppingToken)
    {
        QuasarConsumerOptions options = registration.Options;
        for (int attempt = 1; ; attempt++)
        {
            Exception? failure = await TryHandleAsync(entry, stoppingToken).ConfigureAwait(false);
            if (failure is null)
            {
                return;
            }

            if (attempt >= options.MaxAttempts)
            {
                ConsumerWorkerLog.DeadLettered(logger, failure, registration.ConsumerName, registration.QueueName, entry.Sequence, attempt);
                await deadLetters.WriteAsync(new DeadLetter(entry.Sequence, registration.ConsumerName, attempt, $"{failure.GetType().FullName}: {failure.Message}", entry.Payload)).ConfigureAwait(false);
                return;
            }

            ConsumerWorkerLog.Retrying(logger, failure, registration.ConsumerName, registration.QueueName, entry.Sequence, attempt, options.MaxAttempts);
            await Task.Delay(options.BackoffAfter(attempt), clock, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt; null on success, else what the handler threw. Stopping is not a failure: it propagates.</summary>
    private async Task<Exception?> TryHandleAsync(Entry entry, CancellationToken stoppingToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(entry, stoppingToken).ConfigureAwait(false);
                return null;
            }
#pragma warning disable CA1031 // Any handler failure is retried, then dead-lettered: that is the point of the worker.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                return e;
            }
        }
    }
}
