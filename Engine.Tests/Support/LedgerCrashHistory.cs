using System.Text;
using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>
/// What the ledger crash test knows across kills of the writer: every acknowledged batch, the last
/// acknowledged delete, and the state last verified; and the check that a recovered ledger agrees
/// with it.
/// </summary>
public sealed class LedgerCrashHistory
{
    /// <summary>Every batch the writer reported written (first and last sequence), across all runs.</summary>
    public List<(ulong First, ulong Last)> Batches { get; } = [];

    /// <summary>The largest sequence the writer reported deleted up to.</summary>
    public ulong LastDelete { get; set; }

    /// <summary>The Head last verified.</summary>
    public ulong Head { get; set; }

    /// <summary>The Tail last verified.</summary>
    public ulong Tail { get; set; }

    /// <summary>What recovery reported after the kills (torn tails, removed files, rebuilt indexes): shows where the kills landed.</summary>
    public List<string> RecoveryWarnings { get; } = [];

    /// <summary>
    /// Sequences are written without gaps from 1, and Delete never passes Head, so the live entries
    /// must be exactly Tail+1..Head; every one must carry its own payload; batches must be whole
    /// (only deletion may cut one, from below); and every acknowledged batch must be there.
    /// </summary>
    public void Check(Ledger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        long length = ledger.Length;
        Assert.True(tail >= LastDelete, $"Tail {tail} is below the last acknowledged delete {LastDelete}");
        Assert.True(head >= tail, $"Head {head} is below Tail {tail}");
        ulong acknowledgedHead = Batches.Count == 0 ? 0 : Batches.Max(b => b.Last);
        Assert.True(head >= acknowledgedHead, $"Head {head} is below the last acknowledged sequence {acknowledgedHead}");
        Assert.Equal((long)(head - tail), length);

        IReadOnlyList<Entry> entries = ledger.Read(1, int.MaxValue);
        Assert.Equal(length, entries.Count);
        (ulong First, int Count) previousBatch = default;
        for (int i = 0; i < entries.Count; i++)
        {
            ulong sequence = tail + 1 + (ulong)i;
            Assert.Equal(sequence, entries[i].Sequence);
            (ulong first, int count) = Parse(entries[i]);
            Assert.True(first <= sequence && sequence < first + (ulong)count, $"entry {sequence} claims batch {first}+{count}");
            if (i > 0 && first != previousBatch.First)
            {
                Assert.Equal(sequence, first); // a new batch starts at its first entry...
                Assert.Equal(sequence - 1, previousBatch.First + (ulong)previousBatch.Count - 1); // ...right after the previous one ended
            }

            previousBatch = (first, count);
        }

        if (length > 0)
        {
            Assert.Equal(head, previousBatch.First + (ulong)previousBatch.Count - 1); // the last batch is whole
            Assert.Equal((head, true), ledger.Index(-1));
            Assert.Equal((tail + 1, true), ledger.Index(0));
        }

        Assert.Equal((head, false), ledger.Index(length));
        foreach ((ulong first, ulong last) in Batches.Where(b => b.Last > tail))
        {
            // Present (Tail < last <= Head, no gaps), and written as this very batch.
            ulong from = Math.Max(first, tail + 1);
            for (ulong sequence = from; sequence <= last; sequence++)
            {
                Assert.Equal((first, (int)(last - first + 1)), Parse(entries[(int)(sequence - tail - 1)]));
            }
        }
    }

    /// <summary>Checks a payload byte for byte and returns the batch it names.</summary>
    private static (ulong First, int Count) Parse(Entry entry)
    {
        string text = Encoding.ASCII.GetString(entry.Payload.Span);
        Assert.True(CrashProtocol.TryParsePayload(text, out ulong first, out int count), $"entry {entry.Sequence} has a malformed payload '{text}'");
        Assert.Equal(CrashProtocol.PayloadText(entry.Sequence, first, count), text);
        return (first, count);
    }
}
