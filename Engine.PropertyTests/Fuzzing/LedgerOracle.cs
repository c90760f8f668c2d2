namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// Opens one ledger of a mutated store, reads everything (a full scan, then every entry again by
/// position and by sequence, so that a rebuilt index is exercised too) and judges the result
/// against what was written. What "correct" allows, from FORMAT.md's recovery rules, for a
/// ledger whose every batch was synced:
/// <list type="bullet">
/// <item>Every entry returned was written, with its payload, in sequence order, above the Tail;
/// a batch comes back whole or not at all (above the Tail).</item>
/// <item>The Tail is the last one written, unless the tail file was damaged: then any Tail the
/// ledger ever had, or 0 (the newest valid copy wins; none means 0). Dead entries still in a
/// segment then come back; nothing else does.</item>
/// <item>An entry of the base store may be missing only when its segment file was deleted (the
/// format cannot notice a missing whole segment), or when it is in the last segment, whose
/// damaged final batches are indistinguishable from a torn write (the one before it when the last
/// segment file was deleted): then only batches that do not
/// end before the first damaged byte, only as a suffix of that segment, and, for a ledger
/// written with SyncWrites, only when no intact durable batch follows the damage (that proves
/// damage, which must be reported).</item>
/// <item>Head is the last entry returned (at least the Tail); Length counts them.</item>
/// </list>
/// Anything else must surface as <see cref="CorruptionException"/> from open or a read.
/// </summary>
internal static class LedgerOracle
{
    private const int ReadAll = 1_000_000;

    public static StoreOutcome Judge(Db db, LedgerHistory history, Damage damage)
    {
        try
        {
            using Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = history.Prefix });
            return Check(ledger, history, damage);
        }
        catch (CorruptionException error)
        {
            return StoreOutcome.Detected(history.Directory, error);
        }
    }

    private static StoreOutcome Check(Ledger ledger, LedgerHistory history, Damage damage)
    {
        IReadOnlyList<Entry> read = ledger.Read(1, ReadAll);
        ulong tail = ledger.Tail;
        string where = $"ledger '{history.Prefix}' (Tail {tail}, Head {ledger.Head}, {read.Count} entries)";
        if (damage.Touched(history.TailFile))
        {
            Assert.True(history.Tails.Contains(tail), $"{where}: Tail {tail} is none the ledger ever had ({string.Join(",", history.Tails)})");
        }
        else
        {
            Assert.True(tail == history.FinalTail, $"{where}: Tail {tail}, but the tail file is untouched and says {history.FinalTail}");
        }

        var returned = new HashSet<ulong>();
        ulong previous = tail;
        foreach (Entry entry in read)
        {
            Assert.True(entry.Sequence > previous, $"{where}: sequence {entry.Sequence} after {previous} (not increasing, or at or below the Tail)");
            Assert.True(history.Written.TryGetValue(entry.Sequence, out byte[]? payload), $"{where}: sequence {entry.Sequence} was never written");
            Assert.True(entry.Payload.Span.SequenceEqual(payload), $"{where}: entry {entry.Sequence} has a payload of {entry.Payload.Length} bytes that was not written with it");
            returned.Add(entry.Sequence);
            previous = entry.Sequence;
        }

        Assert.True(ledger.Length == read.Count, $"{where}: Length {ledger.Length}, but a full read returned {read.Count} entries");
        Assert.True(ledger.Head >= tail && (read.Count == 0 || ledger.Head == read[^1].Sequence), $"{where}: Head {ledger.Head} is not the last entry read");
        CheckPointReads(ledger, read, where);
        string? lost = CheckLosses(history, damage, tail, returned, where);
        bool sameTail = tail == history.FinalTail;
        return new StoreOutcome(history.Directory, lost is null && sameTail ? StoreVerdict.Intact : StoreVerdict.Repaired, Note: lost ?? $"Tail {tail} instead of {history.FinalTail}", Contents: $"Tail {tail}, Head {ledger.Head}: {string.Join(",", read.Select(e => e.Sequence))}");
    }

    /// <summary>Every entry again by position (Index) and by sequence (a one-entry read), which go through the index rather than a scan.</summary>
    private static void CheckPointReads(Ledger ledger, IReadOnlyList<Entry> read, string where)
    {
        for (int i = 0; i < read.Count; i++)
        {
            (ulong sequence, bool found) = ledger.Index(i);
            Assert.True(found && sequence == read[i].Sequence, $"{where}: Index({i}) = ({sequence}, {found}), the full read has {read[i].Sequence} there");
            IReadOnlyList<Entry> one = ledger.Read(read[i].Sequence, 1);
            Assert.True(one.Count == 1 && one[0].Sequence == read[i].Sequence && one[0].Payload.Span.SequenceEqual(read[i].Payload.Span), $"{where}: Read({read[i].Sequence}, 1) does not return the entry the full read returned");
        }

        Assert.Equal((ledger.Head, false), ledger.Index(read.Count));
    }

    /// <summary>Fails on a loss the damage cannot explain; returns a note on the allowed losses (null: nothing lost).</summary>
    private static string? CheckLosses(LedgerHistory history, Damage damage, ulong tail, HashSet<ulong> returned, string where)
    {
        var notes = new List<string>();
        bool lostInLastSegment = false;

        // A deleted last segment makes the one before it the last, with the last one's rules.
        string? last = history.Physical.LastOrDefault(b => !damage.IsGone(b.Segment))?.Segment;
        foreach (FuzzBatch batch in history.Physical)
        {
            ulong[] live = [.. batch.Entries.Select(e => e.Sequence).Where(s => s > tail)];
            int back = live.Count(returned.Contains);
            Assert.True(back == 0 || back == live.Length, $"{where}: {back} of the {live.Length} live entries of the batch at {batch.Segment}:{batch.Start} came back (a batch is atomic)");
            bool isLast = batch.Segment == last;
            if (back == live.Length)
            {
                Assert.False(isLast && lostInLastSegment && live.Length > 0, $"{where}: the batch at {batch.Segment}:{batch.Start} came back after an earlier batch of the last segment was lost (a torn write loses a suffix)");
                continue;
            }

            string? reason = LossReason(history, damage, batch, isLast);
            Assert.True(reason is not null, $"{where}: the batch at {batch.Segment}:{batch.Start}..{batch.End} (sequences {live[0]}..{live[^1]}) is missing, which the damage does not explain");
            notes.Add(reason!);
            lostInLastSegment |= isLast;
        }

        return notes.Count == 0 ? null : string.Join(", ", notes.Distinct(StringComparer.Ordinal));
    }

    /// <summary>Why losing <paramref name="batch"/> is allowed, or null when it is not.</summary>
    private static string? LossReason(LedgerHistory history, Damage damage, FuzzBatch batch, bool isLast)
    {
        string segment = batch.Segment;
        if (damage.IsGone(segment))
        {
            return "segment file deleted";
        }

        if (isLast && damage.Touched(segment) && !damage.IsReplaced(segment) && batch.End > damage.FirstOffset(segment))
        {
            long damageEnd = damage.LastEnd(segment);
            bool intactDurableAfter = history.Durable && history.Physical.Any(b => b.Segment == segment && b.Start >= damageEnd);
            return intactDurableAfter ? null : "torn final batches of the last segment";
        }

        return null;
    }
}
