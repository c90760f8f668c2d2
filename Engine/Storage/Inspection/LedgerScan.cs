namespace Quasar.Storage;

/// <summary>
/// Walks a ledger's segments in log order (<see cref="SegmentScan"/> for each), carrying the last
/// sequence from one segment to the next, so that sequences are checked to increase strictly
/// across batches and segments alike.
/// </summary>
internal static class LedgerScan
{
    /// <summary>
    /// Scans every segment of <paramref name="ledgerDirectory"/>, one step per batch (its bytes and,
    /// when <paramref name="wanted"/> is given, its entries above <paramref name="tail"/> that it
    /// asks for) and one per finished segment, whose problems are then in <paramref name="problems"/>.
    /// Segments wholly below <paramref name="skipBefore"/> (the next one starts at or below it) are
    /// left out: a stream of entries from there needs none of them.
    /// </summary>
    public static IEnumerable<LedgerStep> Scan(
        string ledgerDirectory,
        ulong tail,
        ProblemList problems,
        int bufferSize,
        bool reportOtherFiles,
        Func<ulong, bool>? wanted,
        ulong skipBefore)
    {
        List<(ulong Base, string Path)> segments = LedgerFiles.Segments(ledgerDirectory, reportOtherFiles ? problems : null);
        ulong previous = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            bool isLast = i == segments.Count - 1;
            if (!isLast && segments[i + 1].Base <= skipBefore)
            {
                continue; // a stream from skipBefore starts in a later segment
            }

            var found = new ProblemList();
            SegmentScan scan;
            try
            {
                scan = SegmentScan.Open(segments[i].Path, segments[i].Base, isLast, previous, found, bufferSize);
            }
            catch (FileNotFoundException)
            {
                // Only a live Db deletes files: the segment was unlinked between listing and opening.
                problems.Warning(segments[i].Path, 0, "the segment was unlinked while the check ran (a delete in a live process)");
                continue;
            }

            using (scan)
            {
                while (!scan.IsDone)
                {
                    List<Entry>? batch = wanted is null ? null : [];
                    long length = scan.NextBatch(wanted is null ? null : s => s > tail && wanted(s), batch);
                    ThrowOnDamageWhenStreaming(found, segments[i].Path, wanted is not null);
                    yield return new LedgerStep(length, batch, null);
                }

                SegmentInfo segment = scan.Finish();
                previous = Math.Max(previous, scan.LastSequence);
                Merge(found, problems, segment, isLast, tail);
                yield return new LedgerStep(0, null, segment);
            }
        }
    }

    /// <summary>
    /// Adds a segment's problems to the ledger's. A segment before the last whose entries are all at
    /// or below the Tail is dead: a delete persisted the Tail and was interrupted before unlinking
    /// it (index first, then data), and recovery unlinks it, so what is wrong with its index is a
    /// warning.
    /// </summary>
    private static void Merge(ProblemList found, ProblemList problems, SegmentInfo segment, bool isLast, ulong tail)
    {
        bool dead = !isLast && segment.EntryCount > 0 && segment.LastSequence <= tail;
        foreach (CheckProblem problem in found.Items)
        {
            bool indexProblem = problem.FilePath == segment.Index.Path;
            problems.AddKept(dead && indexProblem
                ? problem with { Severity = ProblemSeverity.Warning, Message = $"{problem.Message} (the segment is dead: every entry is at or below the Tail {tail}, and recovery unlinks it)" }
                : problem);
        }

        if (dead)
        {
            problems.Warning(segment.DataPath, 0, $"every entry is at or below the Tail {tail}: a delete was interrupted before unlinking the segment; recovery unlinks it");
        }
    }

    /// <summary>Entry streaming never returns entries past damage: it throws as a ledger read would.</summary>
    private static void ThrowOnDamageWhenStreaming(ProblemList found, string dataPath, bool streaming)
    {
        CheckProblem? error = streaming && found.HasError ? found.Items.FirstOrDefault(p => p.Severity == ProblemSeverity.Error && p.FilePath == dataPath) : null;
        if (error is not null)
        {
            throw new CorruptionException(error.FilePath, error.Offset, error.Message);
        }
    }
}
