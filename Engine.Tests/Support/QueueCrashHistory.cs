using System.Text;
using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>
/// What the queue crash test knows across kills of the queue writer, and the checks that each
/// killed run and each recovered queue agree with it (API.md, Consumer and Cleaner, and their
/// Clarifications). A consumer's <em>durable marks</em> are what its stored positions say after a
/// kill: every sequence up to the first position, and the positions stored beyond it.
/// <list type="bullet">
/// <item>Durable marks are never lost, and never delivered again: once durable, a mark stays
/// durable across every later kill, and no later run delivers its sequence to that consumer.
/// Entries delivered but not durably marked may come again (at-least-once).</item>
/// <item>Every durable mark names an entry its consumer recorded (the child records before it marks).</item>
/// <item>The cleaner deletes only below every consumer's durable first position, so every entry
/// the ledger no longer holds was processed by every consumer; and every acknowledged entry is
/// still in the ledger or was.</item>
/// <item>Nothing is delivered that was never written: a delivered payload is the one written for
/// its sequence, and its sequence is at most Head.</item>
/// <item>Within one run a consumer gets its entries in sequence order.</item>
/// </list>
/// </summary>
public sealed class QueueCrashHistory
{
    private readonly List<ulong> newlyAcknowledged = [];
    private readonly Dictionary<string, HashSet<ulong>> processed = CrashProtocol.QueueConsumers.ToDictionary(c => c, _ => new HashSet<ulong>());
    private readonly Dictionary<string, (ulong First, ulong[] Beyond)> durable = CrashProtocol.QueueConsumers.ToDictionary(c => c, _ => (0UL, Array.Empty<ulong>()));
    private ulong largestAcknowledged;
    private ulong largestDelivered;

    /// <summary>The Head last verified.</summary>
    public ulong Head { get; private set; }

    /// <summary>The Tail last verified.</summary>
    public ulong Tail { get; private set; }

    /// <summary>How many entries the consumers recorded in all, redeliveries included.</summary>
    public long Deliveries { get; private set; }

    /// <summary>How many of <see cref="Deliveries"/> were redeliveries of an entry the consumer had processed before.</summary>
    public long Redeliveries { get; private set; }

    /// <summary>Takes in the entries the producer acknowledged in the last run.</summary>
    public void Acknowledge(IEnumerable<ulong> sequences)
    {
        foreach (ulong sequence in sequences)
        {
            newlyAcknowledged.Add(sequence);
            largestAcknowledged = Math.Max(largestAcknowledged, sequence);
        }
    }

    /// <summary>Checks and takes in what <paramref name="consumer"/> recorded in the last run.</summary>
    public void Deliver(string consumer, List<(ulong Sequence, string Payload)> records)
    {
        (ulong first, ulong[] beyond) = durable[consumer];
        ulong previous = 0;
        foreach ((ulong sequence, string payload) in records)
        {
            Assert.True(payload == CrashProtocol.QueuePayloadText(sequence), $"{consumer} got entry {sequence} with payload '{payload}', which was never written for it");
            Assert.True(sequence > previous, $"{consumer} got entry {sequence} after {previous} in the same run");
            Assert.True(sequence > first, $"{consumer} got entry {sequence} again, though its durable position was {first} when the run started");
            Assert.True(Array.IndexOf(beyond, sequence) < 0, $"{consumer} got entry {sequence} again, though it was stored as marked ({Describe(first, beyond)}) when the run started");
            previous = sequence;
            Deliveries++;
            if (!processed[consumer].Add(sequence))
            {
                Redeliveries++;
            }

            largestDelivered = Math.Max(largestDelivered, sequence);
        }
    }

    /// <summary>Checks the recovered ledger and table against everything known, then takes in their state.</summary>
    public void CheckRecovered(Ledger ledger, Table table)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(table);
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        Assert.True(head >= Head && tail >= Tail, $"Head/Tail went back from {Head}/{Tail} to {head}/{tail}");
        Assert.True(head >= largestAcknowledged, $"Head {head} is below the acknowledged entry {largestAcknowledged}");
        Assert.True(head >= largestDelivered, $"a consumer got entry {largestDelivered}, above Head {head}");
        CheckEntries(ledger, head, tail);

        IReadOnlyDictionary<string, ulong[]> stored = table.All();
        Assert.All(stored.Keys, n => Assert.True(
            n.StartsWith(CrashProtocol.BallastPrefix, StringComparison.Ordinal) || CrashProtocol.QueueConsumers.Contains(n),
            $"the table holds '{n}', which no one set"));
        foreach (string consumer in CrashProtocol.QueueConsumers)
        {
            CheckStored(consumer, stored.GetValueOrDefault(consumer, []), head, tail);
        }

        // The cleaner deleted (Tail, tail]: each was processed by every consumer.
        for (ulong sequence = Tail + 1; sequence <= tail; sequence++)
        {
            foreach (string consumer in CrashProtocol.QueueConsumers)
            {
                Assert.True(processed[consumer].Contains(sequence), $"entry {sequence} was cleaned away (Tail {tail}) but {consumer} never processed it");
            }
        }

        // Every acknowledged entry is in the ledger (CheckEntries: all of Tail+1..Head are) or was processed by every consumer.
        foreach (ulong sequence in newlyAcknowledged.Where(s => s <= tail))
        {
            Assert.All(CrashProtocol.QueueConsumers, c => Assert.True(processed[c].Contains(sequence), $"acknowledged entry {sequence} is gone (Tail {tail}) but {c} never processed it"));
        }

        newlyAcknowledged.Clear();
        Head = head;
        Tail = tail;
    }

    /// <summary>The live entries are exactly Tail+1..Head (sequences are written without gaps), each with its own payload; every acknowledged entry above Tail is among them.</summary>
    private static void CheckEntries(Ledger ledger, ulong head, ulong tail)
    {
        Assert.Equal((long)(head - tail), ledger.Length);
        IReadOnlyList<Entry> entries = ledger.Read(1, int.MaxValue);
        Assert.Equal(ledger.Length, entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            Assert.Equal(tail + 1 + (ulong)i, entries[i].Sequence);
            Assert.Equal(CrashProtocol.QueuePayloadText(entries[i].Sequence), Encoding.ASCII.GetString(entries[i].Payload.Span));
        }
    }

    /// <summary>One consumer's stored positions: durable marks kept, each naming an entry it processed, none below Tail.</summary>
    private void CheckStored(string consumer, ulong[] positions, ulong head, ulong tail)
    {
        (ulong previousFirst, ulong[] previousBeyond) = durable[consumer];
        if (positions.Length == 0)
        {
            // Killed before the first child created this consumer (its constructor stores Start - 1): nothing durable yet, nothing written yet.
            Assert.True(previousFirst == 0 && previousBeyond.Length == 0 && head == 0, $"{consumer} lost its stored positions (had {Describe(previousFirst, previousBeyond)}, Head {head})");
            return;
        }

        ulong first = positions[0];
        ulong[] beyond = positions[1..];
        string state = $"{consumer} stores {Describe(first, beyond)}, had {Describe(previousFirst, previousBeyond)}";
        Assert.True(first >= previousFirst, $"{state}: a durable mark was lost");
        Assert.All(previousBeyond, p => Assert.True(p <= first || Array.IndexOf(beyond, p) >= 0, $"{state}: the durable mark {p} was lost"));
        Assert.True(tail <= first, $"{state}, but the cleaner deleted up to {tail}");
        // The Window rule bounds what lies above P, the first position extended by the stored positions that continue it.
        ulong p = first;
        while (Array.IndexOf(beyond, p + 1) >= 0)
        {
            p++;
        }

        int window = CrashProtocol.QueueConsumerWindows[Array.IndexOf(CrashProtocol.QueueConsumers, consumer)];
        Assert.True(beyond.Count(b => b > p) <= window, $"{state}: more positions above {p} than its Window {window} allows");
        Assert.All(beyond, p => Assert.True(p > first && p <= head, $"{state}: {p} lies beyond Head {head} or not beyond the first position"));
        for (ulong sequence = previousFirst + 1; sequence <= first; sequence++)
        {
            Assert.True(processed[consumer].Contains(sequence), $"{state}: marked up to {first}, but it never processed {sequence}");
        }

        Assert.All(beyond, p => Assert.True(processed[consumer].Contains(p), $"{state}: {p} is stored as marked, but it never processed it"));
        durable[consumer] = (first, beyond);
    }

    private static string Describe(ulong first, ulong[] beyond) =>
        beyond.Length == 0 ? $"[{first}]" : $"[{first}; {string.Join(',', beyond)}]";
}
