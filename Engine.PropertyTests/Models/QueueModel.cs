using System.Text;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// The reference model of a queue: its ledger's live entries, Head and Tail (payloads follow from
/// the sequence), and a <see cref="QueueConsumerModel"/> per named consumer. The cleaner it models
/// has no Threshold: it keeps Retention entries and never deletes past the lowest first position
/// stored by any consumer.
/// </summary>
internal sealed class QueueModel
{
    private readonly SortedSet<ulong> live;
    private readonly Dictionary<string, QueueConsumerModel> consumers;

    public QueueModel(QueueScenario scenario)
        : this(scenario.Retention, [], 0, 0, scenario.Consumers.ToDictionary(n => n, n => QueueConsumerModel.Created(n, scenario.Window), StringComparer.Ordinal))
    {
    }

    private QueueModel(long retention, SortedSet<ulong> live, ulong head, ulong tail, Dictionary<string, QueueConsumerModel> consumers)
    {
        Retention = retention;
        this.live = live;
        Head = head;
        Tail = tail;
        this.consumers = consumers;
    }

    public long Retention { get; }

    public ulong Head { get; private set; }

    public ulong Tail { get; private set; }

    public SortedSet<ulong> Live => live;

    public IEnumerable<QueueConsumerModel> Consumers => consumers.Values;

    public QueueConsumerModel this[string name] => consumers[name];

    public QueueModel Clone() => new(Retention, [.. live], Head, Tail, consumers.ToDictionary(c => c.Key, c => c.Value.Clone(), StringComparer.Ordinal));

    /// <summary>The payload of the entry with <paramref name="sequence"/>: it names the sequence, in lengths that make segments roll.</summary>
    public static byte[] PayloadOf(ulong sequence) =>
        Encoding.ASCII.GetBytes($"entry {sequence}:" + new string((char)('a' + (int)(sequence % 26)), (int)(sequence % 7) * 11));

    /// <summary>The sequences the next <paramref name="count"/> produced entries get.</summary>
    public ulong[] NextSequences(int count) => [.. Enumerable.Range(1, count).Select(i => Head + (ulong)i)];

    /// <summary>Entries written (acknowledged, or found after a power loss); the consumers deliver what they may.</summary>
    public void Written(IEnumerable<ulong> sequences)
    {
        foreach (ulong sequence in sequences)
        {
            live.Add(sequence);
            Head = Math.Max(Head, sequence);
        }

        SettleAll();
    }

    /// <summary>One cleaner pass: the entries it deletes and the tail it moves to (unchanged when it deletes nothing).</summary>
    public (long Deleted, ulong Target) PlanClean()
    {
        if (live.Count <= Retention)
        {
            return (0, Tail);
        }

        ulong target = live.ElementAt((int)(live.Count - Retention - 1));
        foreach (QueueConsumerModel consumer in consumers.Values)
        {
            target = Math.Min(target, consumer.Stored[0]);
        }

        return target <= Tail ? (0, Tail) : (live.Count(s => s <= target), target);
    }

    /// <summary>The ledger deleted every entry up to <paramref name="tail"/>.</summary>
    public void DeletedTo(ulong tail)
    {
        live.RemoveWhere(s => s <= tail);
        Tail = Math.Max(Tail, tail);
    }

    /// <summary>A mark on the named consumer; the reader then delivers what the freed room allows.</summary>
    public ModelledMark Mark(string name, ulong sequence, bool cumulative)
    {
        ModelledMark mark = consumers[name].Mark(sequence, cumulative);
        consumers[name].Settle(live);
        return mark;
    }

    /// <summary>
    /// The queue was opened again over the ledger <paramref name="observed"/> (already checked
    /// against what may have survived) and the positions each consumer finds stored: every consumer
    /// is created anew and delivers what it may.
    /// </summary>
    public void Reopened(IReadOnlyDictionary<string, ulong[]> stored, (ulong Head, ulong Tail, IEnumerable<ulong> Live)? observed = null)
    {
        if (observed is { } ledger)
        {
            live.Clear();
            live.UnionWith(ledger.Live);
            Head = ledger.Head;
            Tail = ledger.Tail;
        }

        foreach (QueueConsumerModel consumer in consumers.Values.ToList())
        {
            consumers[consumer.Name] = QueueConsumerModel.Restored(consumer.Name, consumer.Capacity, stored[consumer.Name]);
        }

        SettleAll();
    }

    /// <summary>What each consumer has stored, as the table should hold it.</summary>
    public Dictionary<string, ulong[]> StoredPositions() => consumers.ToDictionary(c => c.Key, c => c.Value.Stored, StringComparer.Ordinal);

    private void SettleAll()
    {
        foreach (QueueConsumerModel consumer in consumers.Values)
        {
            consumer.Settle(live);
        }
    }

    public override string ToString() =>
        $"ledger Head={Head}, Tail={Tail}, live [{string.Join(",", live)}]; " + string.Join("; ", consumers.Values);
}
