namespace Quasar.Hosting;

/// <summary>One <c>AddConsumer</c> call: the options validator checks its queue exists.</summary>
/// <param name="QueueName">The queue read.</param>
/// <param name="ConsumerName">The consumer's persistent name.</param>
/// <param name="Options">The retry settings, validated at registration.</param>
internal sealed record ConsumerRegistration(string QueueName, string ConsumerName, QuasarConsumerOptions Options);
