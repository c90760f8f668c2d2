using System.Runtime.ExceptionServices;

namespace Quasar.Lifecycle;

/// <summary>
/// Closes a group of resources so that one failure cannot leave the others open: every one is
/// disposed whatever the earlier ones threw, and only then is the failure reported. An owner that
/// stopped at the first throw would leave the rest writable after it released what guarded them
/// (the directory lock, a queue's claim on its stores).
/// </summary>
internal static class CloseAll
{
    /// <summary>Disposes every non-null item in order; then rethrows the only failure as it was, or several as one <see cref="AggregateException"/>.</summary>
    /// <param name="items">What to dispose; nulls are skipped.</param>
    public static void Dispose(IEnumerable<IDisposable?> items)
    {
        List<Exception>? failures = null;
        foreach (IDisposable? item in items)
        {
            try
            {
                item?.Dispose();
            }
            catch (Exception failure)
            {
                (failures ??= []).Add(failure);
            }
        }

        if (failures is [Exception only])
        {
            ExceptionDispatchInfo.Throw(only);
        }

        if (failures is not null)
        {
            throw new AggregateException("Several resources failed to close; each was closed.", failures);
        }
    }
}
