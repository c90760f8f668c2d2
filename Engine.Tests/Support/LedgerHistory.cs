using System.Globalization;
using System.Text;

namespace Quasar.Tests.Support;

/// <summary>
/// The history checker of the concurrency stress test: what a ledger may answer while one writer
/// appends batches 1, 2, 3, ... without gaps (payloads naming their batch, <see cref="Payload"/>)
/// and one deleter cuts prefixes, given the Heads and Tails a reader observed around its call and
/// what the writer and deleter announced before their calls (<see cref="StressRun"/>). Each check
/// reports a violation to <see cref="StressRun.Fail"/> rather than throwing, so that the threads
/// go on and the run reports the first failures together.
/// </summary>
public static class LedgerHistory
{
    /// <summary>The largest batch the writer appends.</summary>
    public const int MaxBatch = 20;

    /// <summary>
    /// Index(<paramref name="index"/>) answered (<paramref name="sequence"/>, <paramref name="found"/>)
    /// between observing Head <paramref name="h0"/>, Tail <paramref name="t1"/> before and Head
    /// <paramref name="h2"/>, Tail <paramref name="t2"/> after.
    /// </summary>
    public static void CheckIndex(StressRun run, string what, long index, ulong sequence, bool found, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        ArgumentNullException.ThrowIfNull(run);
        // At the instant x it ran: the live entries are Tail(x)+1 .. Head(x), t1 <= Tail(x) <= t2, h0 <= Head(x) <= h2.
        long minLength = (long)h0 - (long)t2;
        long maxLength = (long)h2 - (long)t1;
        if (!found)
        {
            long needed = index >= 0 ? index + 1 : -index; // the length that would have held the position
            if (sequence < h0 || sequence > h2)
            {
                run.Fail("reader", $"{what}: not found must return Head");
            }
            else if (minLength >= needed)
            {
                run.Fail("reader", $"{what}: not found, but at least {minLength} entries were live throughout");
            }

            return;
        }

        if (index >= 0)
        {
            // Oldest + index: Tail(x) + 1 + index, and Tail(x) is a tail the deleter set.
            ulong tail = sequence - 1 - (ulong)index;
            if (sequence <= (ulong)index || tail < t1 || tail > t2 || sequence > h2 || !run.IsTail(tail) || index >= maxLength)
            {
                run.Fail("reader", $"{what}: the entry {index} places above the oldest must be Tail + 1 + {index} for a Tail between {t1} and {t2}, at or below Head");
            }
        }
        else
        {
            // Newest - (-index - 1): Head(x) + index + 1, and Head(x) is a batch end.
            ulong head = sequence + (ulong)(-index) - 1;
            if (head < h0 || head > h2 || sequence <= t1 || !run.IsHead(head) || -index > maxLength)
            {
                run.Fail("reader", $"{what}: the entry {-index - 1} places below the newest must be Head - {-index - 1} for a Head between {h0} and {h2}, above Tail");
            }
        }
    }

    /// <summary>Head is always the end of a written batch; Tail always one the deleter set; neither goes back.</summary>
    public static void CheckObserved(StressRun run, string what, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (h2 < h0 || t2 < t1 || !run.IsHead(h0) || !run.IsHead(h2) || !run.IsTail(t1) || !run.IsTail(t2) || t1 > h2)
        {
            run.Fail("reader", $"{what}: Head or Tail went back, or is not a batch end / a tail that was set");
        }
    }

    /// <summary>A length observed between the observations of Head and Tail lies between their extremes.</summary>
    public static void CheckLength(StressRun run, string what, long length, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (length < (long)h0 - (long)t2 || length > (long)h2 - (long)t1)
        {
            run.Fail("reader", $"{what}: Length {length} is outside [{(long)h0 - (long)t2}, {(long)h2 - (long)t1}]");
        }
    }

    /// <summary>A read is a contiguous run of whole payloads from the start asked for (or right after a Tail the deleter set), ending at or below Head, and at a batch end at or after the Head observed before it unless cut by the amount.</summary>
    public static void CheckRead(StressRun run, string what, IReadOnlyList<Entry> read, ulong start, int amount, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (read.Count > amount)
        {
            run.Fail("reader", $"{what}: {read.Count} entries, more than asked");
            return;
        }

        if (read.Count == 0)
        {
            // Empty only when nothing was live from the start: start above Head, or everything deleted.
            if (start <= h0 && t2 < h0)
            {
                run.Fail("reader", $"{what}: empty, although entries up to {h0} were written and the Tail stayed below it");
            }

            return;
        }

        ulong first = read[0].Sequence;
        for (int i = 0; i < read.Count; i++)
        {
            ulong sequence = read[i].Sequence;
            if (sequence != first + (ulong)i)
            {
                run.Fail("reader", $"{what}: entry {i} is {sequence} after {first}: not a contiguous run");
                return;
            }

            string? problem = CheckPayload(read[i], out _, out _);
            if (problem is not null)
            {
                run.Fail("reader", $"{what}: {problem}");
                return;
            }
        }

        // It starts at the start asked for, or right after a Tail the deleter set (at or after the one observed before).
        if (first < start || first <= t1 || (first != start && (first - 1 > t2 || !run.IsTail(first - 1))))
        {
            run.Fail("reader", $"{what}: starts at {first}: neither the start nor right after a Tail between {t1} and {t2}");
        }

        ulong last = read[^1].Sequence;
        CheckPayload(read[^1], out ulong batchFirst, out int batchCount);
        if (last > h2)
        {
            run.Fail("reader", $"{what}: ends at {last}, above Head");
        }

        if (read.Count < amount)
        {
            if (last != batchFirst + (ulong)batchCount - 1)
            {
                run.Fail("reader", $"{what}: ends at {last}, inside the batch {batchFirst}+{batchCount} (a partial batch)");
            }

            if (last < h0)
            {
                run.Fail("reader", $"{what}: ends at {last}, below the Head {h0} observed before the read, although not cut by the amount");
            }
        }
    }

    /// <summary>"s=&lt;sequence&gt; b=&lt;batch first&gt; n=&lt;batch size&gt;".</summary>
    public static byte[] Payload(ulong sequence, ulong first, int count) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"s={sequence} b={first} n={count}"));

    /// <summary>Null when the payload is the one written for the entry's sequence; outputs the batch it names.</summary>
    public static string? CheckPayload(Entry entry, out ulong batchFirst, out int batchCount)
    {
        batchFirst = 0;
        batchCount = 0;
        string text = Encoding.ASCII.GetString(entry.Payload.Span);
        string[] fields = text.Split(' ');
        if (fields.Length != 3
            || !fields[1].StartsWith("b=", StringComparison.Ordinal)
            || !fields[2].StartsWith("n=", StringComparison.Ordinal)
            || !ulong.TryParse(fields[1].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out batchFirst)
            || !int.TryParse(fields[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out batchCount))
        {
            return $"entry {entry.Sequence} has a malformed payload '{text}'";
        }

        ulong sequence = entry.Sequence;
        if (batchCount is < 1 or > MaxBatch || sequence < batchFirst || sequence >= batchFirst + (ulong)batchCount
            || !entry.Payload.Span.SequenceEqual(Payload(sequence, batchFirst, batchCount)))
        {
            return $"entry {sequence} has the payload '{text}'";
        }

        return null;
    }

    /// <summary>The final state: Length is the number of entries above Tail, all of them readable, whole and in order, up to the last Head the writer saw.</summary>
    public static void CheckFinal(Ledger ledger, StressRun run)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(run);
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        long length = ledger.Length;
        Assert.Equal(run.Head, head);
        Assert.True(tail <= head, $"Tail {tail} above Head {head}");
        Assert.Equal((long)(head - tail), length);
        IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
        Assert.Equal(length, all.Count);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(tail + 1 + (ulong)i, all[i].Sequence);
            Assert.Null(CheckPayload(all[i], out _, out _));
        }

        if (length > 0)
        {
            CheckPayload(all[^1], out ulong batchFirst, out int batchCount);
            Assert.Equal(head, batchFirst + (ulong)batchCount - 1);
            Assert.Equal((tail + 1, true), ledger.Index(0));
            Assert.Equal((head, true), ledger.Index(-1));
        }

        Assert.Equal((head, false), ledger.Index(length));
    }
}
