namespace Quasar.PropertyTests.Models;

/// <summary>
/// What a power loss may leave of one ledger: the model at the last durable point plus the
/// changes made since (acknowledged but not yet synced, or in flight when the power went). The
/// log is append-only and recovery keeps the longest valid prefix, so the writes that survive are
/// a prefix of those made; the tail file is separate, so any of the tails written since may have
/// reached the disk, whichever writes did.
/// </summary>
internal sealed class LedgerOutcomes(LedgerModel durable) : IModelOutcomes<LedgerModel>
{
    private readonly List<Entry[]> writes = [];
    private readonly List<ulong> tails = [];
    private LedgerModel durable = durable;

    /// <summary>A write that returned (durable at once with <paramref name="synced"/>) or was in flight.</summary>
    public void Wrote(Entry[] batch, bool synced)
    {
        if (synced)
        {
            durable.RecoverBatch(batch);
        }
        else
        {
            writes.Add(batch);
        }
    }

    /// <summary>A delete that returned, leaving <paramref name="tail"/> (durable at once with <paramref name="synced"/>), or was in flight.</summary>
    public void Deleted(ulong tail, bool synced)
    {
        if (synced)
        {
            durable.RecoverTail(tail);
        }
        else
        {
            tails.Add(tail);
        }
    }

    /// <summary>A durable point (Db.Sync, a clean dispose, a recovery): <paramref name="state"/> is what the disk holds.</summary>
    public void Synced(LedgerModel state)
    {
        durable = state.Clone();
        writes.Clear();
        tails.Clear();
    }

    /// <summary>Every state recovery may show: a prefix of the writes since the durable point, with the durable or any later tail.</summary>
    public IEnumerable<LedgerModel> Candidates()
    {
        for (int kept = 0; kept <= writes.Count; kept++)
        {
            foreach (ulong tail in tails.Prepend(durable.Tail))
            {
                LedgerModel candidate = durable.Clone();
                foreach (Entry[] batch in writes.Take(kept))
                {
                    candidate.RecoverBatch(batch);
                }

                candidate.RecoverTail(tail);
                candidate.Reopened();
                yield return candidate;
            }
        }
    }
}
