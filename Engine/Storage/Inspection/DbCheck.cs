using System.Runtime.CompilerServices;
using Quasar.Storage.Segments;
using Quasar.Storage.Tables;

namespace Quasar.Storage;

/// <summary>
/// The whole-directory check behind <see cref="DbInspector.Check"/>: every ledger (tail
/// record, then segments in log order), then every table, then the facts across stores, with
/// progress in bytes of segment and table files.
/// </summary>
internal sealed class DbCheck
{
    /// <summary>The suffixes a <see cref="Queue"/> gives its ledger and its consumers' table.</summary>
    private const string QueueLedgerSuffix = ":l";
    private const string QueueTableSuffix = ":t";

    private readonly IProgress<CheckProgress>? progress;
    private readonly long total;
    private long done;
    private long segments;
    private long entries;

    private DbCheck(IProgress<CheckProgress>? progress, long total)
    {
        this.progress = progress;
        this.total = total;
    }

    /// <summary>Checks <paramref name="stores"/>, yielding problems file by file.</summary>
    public static IEnumerable<CheckProblem> Run(IReadOnlyList<StoreInfo> stores, int bufferSize, IProgress<CheckProgress>? progress)
    {
        var check = new DbCheck(progress, stores.Sum(TotalBytes));
        var problems = new ProblemList();
        var tails = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (StoreInfo ledger in stores.Where(s => s.Kind == StoreKind.Ledger))
        {
            tails[ledger.Prefix] = TailCheck.Read(ledger.Directory, problems).Tail;
            long segmentBytes = 0;
            foreach (LedgerStep step in LedgerScan.Scan(ledger.Directory, tails[ledger.Prefix], problems, bufferSize, true, null, 0))
            {
                segmentBytes += step.Bytes;
                if (step.Segment is not null)
                {
                    check.segments++;
                    check.entries += step.Segment.EntryCount;
                }

                check.Advance(step.Segment is null ? step.Bytes : step.Segment.DataLength - segmentBytes + step.Bytes);
                if (step.Segment is not null)
                {
                    segmentBytes = 0;
                }

                foreach (CheckProblem problem in problems.Drain())
                {
                    yield return problem;
                }
            }

            foreach (CheckProblem problem in problems.Drain())
            {
                yield return problem;
            }
        }

        foreach (StoreInfo table in stores.Where(s => s.Kind == StoreKind.Table))
        {
            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            long before = check.done;
            TableInfo info = TableScan.Read(table.Directory, problems, offsets, check.Advance, bufferSize);
            check.Advance(info.Length - (check.done - before));
            CheckConsumerPositions(table, info, offsets, tails, problems);
            foreach (CheckProblem problem in problems.Drain())
            {
                yield return problem;
            }
        }
    }

    /// <summary>
    /// A queue's consumers store their positions in its table under their names; a first position
    /// below the ledger's Tail means entries were deleted before the consumer read them (threshold
    /// cleaning): it continues at the oldest entry. Worth a warning, never an error.
    /// </summary>
    private static void CheckConsumerPositions(StoreInfo table, TableInfo info, Dictionary<string, long> offsets, Dictionary<string, ulong> tails, ProblemList problems)
    {
        if (!table.Prefix.EndsWith(QueueTableSuffix, StringComparison.Ordinal)
            || !tails.TryGetValue(table.Prefix[..^QueueTableSuffix.Length] + QueueLedgerSuffix, out ulong tail))
        {
            return;
        }

        foreach ((string name, ulong[] positions) in info.Positions)
        {
            if (positions[0] < tail)
            {
                problems.Warning(info.Path, offsets.GetValueOrDefault(name), $"consumer '{name}' stored position {positions[0]}, below the Tail {tail} of ledger '{table.Prefix[..^QueueTableSuffix.Length]}{QueueLedgerSuffix}': entries {positions[0] + 1}..{tail} were deleted before it consumed them; it resumes at the oldest entry");
            }
        }
    }

    /// <summary>The bytes of a store's segment or table files, as progress counts them.</summary>
    private static long TotalBytes(StoreInfo store)
    {
        if (!Directory.Exists(store.Directory))
        {
            return 0;
        }

        string pattern = store.Kind == StoreKind.Ledger ? "*" + Segment.DataExtension : TableLog.FileName;
        return Directory.GetFiles(store.Directory, pattern).Sum(path => new FileInfo(path).Length);
    }

    private void Advance(long bytes)
    {
        done += bytes;
        progress?.Report(new CheckProgress(done, total, segments, entries));
    }
}
