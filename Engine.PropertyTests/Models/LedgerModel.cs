using System.Globalization;
using System.Text;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// The reference model of a ledger, written from API.md and its Clarifications: a sorted list of
/// entries plus Head and Tail.
/// </summary>
internal sealed class LedgerModel : IRecoveredState
{
    private readonly List<Entry> entries;

    public LedgerModel(long limit)
        : this(limit, [], 0, 0)
    {
    }

    private LedgerModel(long limit, List<Entry> entries, ulong head, ulong tail)
    {
        Limit = limit;
        this.entries = entries;
        Head = head;
        Tail = tail;
    }

    public long Limit { get; }

    public ulong Head { get; private set; }

    public ulong Tail { get; private set; }

    public long Length => entries.Count;

    public IReadOnlyList<Entry> Entries => entries;

    public LedgerModel Clone() => new(Limit, [.. entries], Head, Tail);

    /// <summary>Empty: no-op. Then Limit, then monotonicity (the Clarifications' order); all or nothing.</summary>
    public Outcome Write(Entry[] batch)
    {
        if (batch.Length == 0)
        {
            return Outcome.Returned("ok");
        }

        if (Limit > 0 && Length + batch.Length > Limit)
        {
            return Outcome.Throws<LimitReachedException>();
        }

        ulong previous = Head;
        foreach (Entry entry in batch)
        {
            if (entry.Sequence <= previous)
            {
                return Outcome.Throws<NotMonotonicException>();
            }

            previous = entry.Sequence;
        }

        entries.AddRange(batch);
        Head = previous;
        return Outcome.Returned("ok");
    }

    /// <summary>Up to <paramref name="amount"/> live entries from and including <paramref name="sequence"/>.</summary>
    public Outcome Read(ulong sequence, int amount) =>
        amount < 1
            ? Outcome.Throws<ArgumentOutOfRangeException>()
            : Outcome.Returned(Render(entries.Where(e => e.Sequence >= sequence).Take(amount)));

    /// <summary>0 = oldest, -1 = newest; not found: (Head, false).</summary>
    public Outcome Index(long index)
    {
        long position = index < 0 ? Length + index : index;
        bool found = position >= 0 && position < Length;
        return Outcome.Returned(Render(found ? entries[(int)position].Sequence : Head, found));
    }

    /// <summary>
    /// If not empty and min(sequence, Head) &gt; Tail: Tail becomes min(sequence, Head) and every entry at
    /// or below it goes; otherwise nothing changes and 0 is returned.
    /// </summary>
    public Outcome Delete(ulong sequence)
    {
        ulong newTail = Math.Min(sequence, Head);
        if (entries.Count == 0 || newTail <= Tail)
        {
            return Outcome.Returned("0");
        }

        int removed = entries.RemoveAll(e => e.Sequence <= newTail);
        Tail = newTail;
        return Outcome.Returned(removed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A batch that was written (its checks passed when it was) coming back in recovery: no Limit
    /// check, as the entries a later delete removed may be back in the candidate it is added to.
    /// </summary>
    public void RecoverBatch(Entry[] batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        entries.AddRange(batch);
        Head = Math.Max(Head, batch[^1].Sequence);
    }

    /// <summary>
    /// What recovery makes of a tail file holding <paramref name="tail"/>: Tail becomes it (when
    /// higher), every entry at or below it goes, and Head is at least it (Head survives full deletion).
    /// </summary>
    public void RecoverTail(ulong tail)
    {
        if (tail > Tail)
        {
            entries.RemoveAll(e => e.Sequence <= tail);
            Tail = tail;
            Head = Math.Max(Head, tail);
        }
    }

    /// <summary>Head, Tail, Length and every entry, as compared after a power loss.</summary>
    public string Describe() => $"Length={Length}, Head={Head}, Tail={Tail}, entries {Render(entries)}";

    /// <summary>A reopened ledger has nothing cached: no entry can carry its Object any more.</summary>
    public void Reopened()
    {
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i] = entries[i] with { Object = null };
        }
    }

    public object? ObjectOf(ulong sequence) => entries.Find(e => e.Sequence == sequence).Object;

    public static string Render(IEnumerable<Entry> entries) =>
        "[" + string.Join(", ", entries.Select(e => $"{e.Sequence}:{Encoding.ASCII.GetString(e.Payload.Span)}")) + "]";

    public static string Render(ulong sequence, bool found) => $"({sequence}, {found})";
}
