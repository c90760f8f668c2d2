namespace Quasar.Lifecycle;

/// <summary>
/// The last write a store refused for a reason of its storage (an I/O error, a full disk, denied
/// access), kept until a later write of that store succeeds: what a health check reports as "the
/// store refuses writes". A caller's mistake (a bad argument, a sequence not above Head, a reached
/// limit) is not a refusal: the store itself works.
/// Protocol: the store records under its write lock, so records never race each other; any thread
/// reads <see cref="Last"/> (one volatile reference).
/// </summary>
internal sealed class WriteRefusal
{
    private Exception? last;

    /// <summary>The error of the last refused write; null when none was refused since the last success.</summary>
    public Exception? Last => Volatile.Read(ref last);

    /// <summary>
    /// Records <paramref name="error"/> when it is a refusal. Always false, so it serves as an
    /// exception filter: <c>catch (Exception e) when (refusal.Record(e))</c> records without
    /// catching, and the error goes on with its stack unchanged.
    /// </summary>
    /// <param name="error">What the write threw.</param>
    /// <returns>False.</returns>
    public bool Record(Exception error)
    {
        if (error is IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref last, error);
        }

        return false;
    }

    /// <summary>A write succeeded: the store accepts writes again. Writes nothing when nothing was refused (the common case).</summary>
    public void Accepted()
    {
        if (last is not null)
        {
            Volatile.Write(ref last, null);
        }
    }

    /// <summary>
    /// Runs a store's write that is off the hot path (it takes a delegate): a refusal is recorded,
    /// a success clears the last one.
    /// </summary>
    /// <typeparam name="T">What the write returns.</typeparam>
    /// <param name="write">The write.</param>
    /// <returns>What <paramref name="write"/> returned.</returns>
    public T Write<T>(Func<T> write)
    {
        try
        {
            T result = write();
            Accepted();
            return result;
        }
        catch (Exception error) when (Record(error))
        {
            throw; // never reached: Record only observes
        }
    }

    /// <summary>Runs a store's sync: a refusal is recorded; a success clears nothing, because a sync is not a write.</summary>
    /// <param name="sync">The sync.</param>
    public void Sync(Action sync)
    {
        try
        {
            sync();
        }
        catch (Exception error) when (Record(error))
        {
            throw; // never reached: Record only observes
        }
    }
}
