namespace Quasar.Lifecycle;

/// <summary>
/// A background worker attached to a database's stores (producer, consumer, cleaner). The
/// database stops its attachments before it closes the stores they use, and a store stops the
/// attachments that use it before it closes.
/// </summary>
internal interface IAttachment
{
    /// <summary>Stop order on database dispose: producers (0) before consumers (1) before cleaners (2).</summary>
    int StopOrder { get; }

    /// <summary>Whether the worker uses <paramref name="store"/>.</summary>
    bool Uses(IStore store);

    /// <summary>
    /// Stops the worker and waits for it. <paramref name="reason"/> is null for an orderly stop
    /// (database dispose), or the exception pending work fails with (a store was disposed under it).
    /// </summary>
    void Stop(Exception? reason);

    /// <summary>
    /// The orderly stop of <see cref="Stop"/> (reason null) without blocking a thread: the returned
    /// task completes once the worker has stopped. For <see cref="Db.DisposeAsync"/>.
    /// </summary>
    ValueTask StopAsync();
}
