using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>
/// A consumer's stored position, as a <see cref="Queue"/> keeps it: the queue's table
/// <c>&lt;prefix&gt;:t</c> holds each named consumer's positions under its name, the first being
/// the one a restart resumes after, and its ledger is <c>&lt;prefix&gt;:l</c>.
/// </summary>
/// <param name="Table">The queue's table.</param>
/// <param name="Ledger">The queue's ledger.</param>
/// <param name="Name">The consumer's name.</param>
/// <param name="Positions">Its stored positions: the first, then those already marked beyond it.</param>
/// <param name="Lag">Live ledger entries after the first position.</param>
internal sealed record ConsumerView(string Table, string Ledger, string Name, ulong[] Positions, long Lag)
{
    private const string QueueLedgerSuffix = ":l";
    private const string QueueTableSuffix = ":t";

    /// <summary>The position a restart resumes after.</summary>
    public ulong Position => Positions[0];

    /// <summary>The consumers of every queue table in <paramref name="tables"/> whose ledger is among <paramref name="ledgers"/>, ordered by table then name.</summary>
    /// <param name="tables">The tables read, by prefix.</param>
    /// <param name="ledgers">The ledgers read, by prefix.</param>
    /// <returns>The consumers.</returns>
    public static List<ConsumerView> Find(IReadOnlyDictionary<string, TableInfo> tables, IReadOnlyDictionary<string, LedgerView> ledgers)
    {
        var consumers = new List<ConsumerView>();
        foreach ((string table, TableInfo info) in tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!table.EndsWith(QueueTableSuffix, StringComparison.Ordinal)
                || !ledgers.TryGetValue(table[..^QueueTableSuffix.Length] + QueueLedgerSuffix, out LedgerView? ledger))
            {
                continue;
            }

            foreach ((string name, ulong[] positions) in info.Positions.Where(p => p.Value.Length > 0))
            {
                consumers.Add(new ConsumerView(table, ledger.Store.Prefix, name, positions, ledger.EntriesAbove(positions[0])));
            }
        }

        return consumers;
    }
}
