namespace Quasar.Storage.Segments;

/// <summary>
/// A count of the holders of a shared resource that, once it reaches zero, can never be taken
/// again: the release that brings it to zero is told so and closes the resource, and any later
/// <see cref="TryAcquire"/> fails instead of reviving a closed resource.
/// </summary>
/// <remarks>Protocol: changed only by interlocked operations; any thread may acquire or release.</remarks>
internal struct LeaseCount(int initial)
{
    private int count = initial;

    /// <summary>Takes a lease; false when the count already reached zero.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref count);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref count, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Drops the last lease only when it is the only one left (the cache's, when no reader holds
    /// the resource): true when the count went from one to zero (the caller closes the resource).
    /// </summary>
    public bool TryRetire() => Interlocked.CompareExchange(ref count, 0, 1) == 1;

    /// <summary>Returns a lease; true for the release that brought the count to zero (the caller closes the resource).</summary>
    public bool Release() => Interlocked.Decrement(ref count) == 0;
}
