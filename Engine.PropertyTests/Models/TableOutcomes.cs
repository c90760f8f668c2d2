namespace Quasar.PropertyTests.Models;

/// <summary>
/// What a power loss may leave of one table: the model at the last durable point plus the calls
/// made since (acknowledged but not yet synced, or in flight when the power went). The file is an
/// append-only log replayed up to its first invalid record, so what survives is a prefix of them.
/// </summary>
internal sealed class TableOutcomes(TableModel durable) : IModelOutcomes<TableModel>
{
    private readonly List<TableCommand> since = [];
    private TableModel durable = durable;

    /// <summary>A Set or Delete that returned (durable at once with <paramref name="synced"/>) or was in flight.</summary>
    public void Changed(TableCommand call, bool synced)
    {
        if (synced)
        {
            Apply(durable, call);
        }
        else
        {
            since.Add(call);
        }
    }

    /// <summary>A durable point (Db.Sync, a clean close, a recovery): <paramref name="state"/> is what the disk holds.</summary>
    public void Synced(TableModel state)
    {
        durable = state.Clone();
        since.Clear();
    }

    /// <summary>Every state recovery may show: the durable one plus a prefix of the calls since.</summary>
    public IEnumerable<TableModel> Candidates()
    {
        for (int kept = 0; kept <= since.Count; kept++)
        {
            TableModel candidate = durable.Clone();
            foreach (TableCommand call in since.Take(kept))
            {
                Apply(candidate, call);
            }

            yield return candidate;
        }
    }

    private static void Apply(TableModel model, TableCommand call)
    {
        _ = call switch
        {
            TableCommand.Set set => model.Set(set.Name, set.Positions),
            TableCommand.Delete delete => model.Delete(delete.Name),
            _ => throw new InvalidOperationException($"{call} changes nothing"),
        };
    }
}
