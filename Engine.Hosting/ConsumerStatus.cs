namespace Quasar.Hosting;

/// <summary>
/// What the health check knows of one hosted consumer. Protocol: its worker writes (Running once, Left and
/// Died at most once), the health check reads from any thread; each field is one volatile reference.
/// </summary>
internal sealed class ConsumerStatus
{
    private Consumer? consumer;
    private string? death;

    /// <summary>Why the worker stopped while the host was running; null while it runs or after a normal stop.</summary>
    public string? Death => Volatile.Read(ref death);

    /// <summary>The running consumer's <see cref="Consumer.Lag"/>; 0 before it starts, after it left or died.</summary>
    public long Lag => Death is null && Volatile.Read(ref consumer) is { } running ? running.Lag : 0;

    /// <summary>The worker started reading <paramref name="running"/>.</summary>
    public void Running(Consumer running) => Volatile.Write(ref consumer, running);

    /// <summary>The worker left its consumer (disposed next): its lag is no longer read.</summary>
    public void Left() => Volatile.Write(ref consumer, null);

    /// <summary>The worker ended while the host was running, for <paramref name="reason"/>.</summary>
    public void Died(string reason) => Volatile.Write(ref death, reason);
}
