namespace Quasar.Tests.Support;

/// <summary>Observations of a ledger's public state, for checking that a call changed nothing.</summary>
public static class LedgerProbe
{
    /// <summary>The sequences of <paramref name="entries"/>, in order.</summary>
    public static ulong[] SequencesOf(IEnumerable<Entry> entries) => entries.Select(e => e.Sequence).ToArray();

    /// <summary>The sequences of every live entry, read from the start.</summary>
    public static ulong[] Live(Ledger ledger) => SequencesOf(ledger.Read(0, int.MaxValue));

    /// <summary>Asserts Length, Head, Tail, the live sequences and their payloads (as made by <see cref="TestEntries.Make"/>).</summary>
    public static void AssertState(Ledger ledger, ulong head, ulong tail, params ulong[] live)
    {
        Assert.Equal(live.LongLength, ledger.Length);
        Assert.Equal(head, ledger.Head);
        Assert.Equal(tail, ledger.Tail);
        TestEntries.AssertMatches(live.Select(s => TestEntries.Make(s)), ledger.Read(0, int.MaxValue));
    }

    /// <summary>Sequences first, first + 1, ... (count of them).</summary>
    public static ulong[] Run(ulong first, int count) => Enumerable.Range(0, count).Select(i => first + (ulong)i).ToArray();

    /// <summary>Entries made by <see cref="TestEntries.Make"/> for the given sequences.</summary>
    public static Entry[] EntriesOf(params ulong[] sequences) => sequences.Select(s => TestEntries.Make(s)).ToArray();

    /// <summary>The number of segment data files in a ledger directory.</summary>
    public static int SegmentFiles(string ledgerDirectory) => System.IO.Directory.GetFiles(ledgerDirectory, "*.seg").Length;
}
