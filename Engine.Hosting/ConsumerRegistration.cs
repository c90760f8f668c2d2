namespace Quasar.Hosting;

/// <summary>One <c>AddConsumer</c> call: the options validator checks its queue exists; <see cref="Status"/> is its worker's, for the health check.</summary>
/// <param name="QueueName">The queue read.</param>
/// <param name="ConsumerName">The consumer's persistent name.</param>
/// <param name="Options">The retry settings, validated at registration.</param>
internal sealed record ConsumerRegistration(string QueueName, string ConsumerName, QuasarConsumerOptions Options)
{
    /// <summary>How the worker of this registration is doing.</summary>
    public ConsumerStatus Status { get; } = new();
}
