using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// One mutated store: a copy of the <see cref="BaseStore"/>, the mutations applied, the
/// consistency checker run on the damaged files, then <see cref="Db.Open"/> and every store
/// opened and read in full and judged (<see cref="LedgerOracle"/>, <see cref="TableOracle"/>),
/// twice (recovery repairs once; a second open reads the same).
/// Besides the oracles' rules it asserts that a <see cref="CorruptionException"/> names a file of
/// the store and an offset, that the checker reports an error for every store the engine found
/// corrupt, that damage confined to files the engine may rebuild or ignore (indexes, the lock
/// file, leftover rewrites) is repaired with nothing lost. The checker's view after the engine
/// closed the store again is returned for the figures: damage that no read touches (a sealed
/// segment's batch header, say) is still there, so it need not be clean.
/// </summary>
internal static class FuzzCase
{
    /// <summary>Runs the case in <paramref name="directory"/>, recording what the mutations did in <paramref name="damage"/>.</summary>
    public static FuzzResult Run(BaseStore store, IReadOnlyList<Mutation> mutations, string directory, Damage damage)
    {
        store.CopyTo(directory);
        foreach (Mutation mutation in mutations)
        {
            mutation.Apply(directory, damage);
        }

        IReadOnlyList<CheckProblem> before = StoreCheck.Problems(directory);
        List<StoreOutcome> outcomes = OpenAndJudge(store, directory, damage);

        // Recovery is done once: a second open reads exactly what the first did, and a store
        // found corrupt was left as it was, so it is found corrupt again.
        List<StoreOutcome> again = OpenAndJudge(store, directory, damage);
        for (int i = 0; i < outcomes.Count; i++)
        {
            Assert.True(
                again[i].Verdict == StoreVerdict.Detected ? outcomes[i].Verdict == StoreVerdict.Detected : again[i].Contents == outcomes[i].Contents,
                $"{outcomes[i].Store}: the first open gave {outcomes[i].Verdict} ({outcomes[i].Error?.Message ?? outcomes[i].Contents}), the second {again[i].Verdict} ({again[i].Error?.Message ?? again[i].Contents})");
        }

        foreach (StoreOutcome outcome in outcomes)
        {
            string storeDirectory = Path.Combine(directory, outcome.Store);
            if (outcome.Error is CorruptionException error)
            {
                AssertNamesAFileAndOffset(error, storeDirectory);
                Assert.True(
                    Errors(before, storeDirectory).Any(),
                    $"{outcome.Store}: open or read threw '{error.Message}', but the checker found no error there:\n{string.Join('\n', before)}");
            }
        }

        if (OnlyRebuildableFilesTouched(damage))
        {
            StoreOutcome? short_ = outcomes.FirstOrDefault(o => o.Verdict != StoreVerdict.Intact);
            Assert.True(short_ is null, $"only indexes, the lock file or leftover rewrites were damaged, which FORMAT.md says are rebuilt or ignored, yet {short_?.Store} came back {short_?.Verdict}: {short_?.Error?.Message ?? short_?.Note}");
        }

        return new FuzzResult(outcomes, before, StoreCheck.Problems(directory));
    }

    /// <summary>Opens the store's directory and judges every store in it.</summary>
    private static List<StoreOutcome> OpenAndJudge(BaseStore store, string directory, Damage damage)
    {
        var outcomes = new List<StoreOutcome>();
        using Db db = Db.Open(directory, new DbOptions { SegmentSize = BaseStore.SegmentSize });
        foreach (LedgerHistory ledger in store.Ledgers)
        {
            outcomes.Add(LedgerOracle.Judge(db, ledger, damage));
        }

        outcomes.Add(TableOracle.Judge(db, store.Table, damage));
        return outcomes;
    }

    /// <summary>The checker's errors in files under <paramref name="storeDirectory"/>.</summary>
    public static IEnumerable<CheckProblem> Errors(IReadOnlyList<CheckProblem> problems, string storeDirectory) =>
        problems.Where(p => p.Severity == ProblemSeverity.Error && Path.GetFullPath(p.FilePath).StartsWith(Path.GetFullPath(storeDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static void AssertNamesAFileAndOffset(CorruptionException error, string storeDirectory)
    {
        Assert.True(error.FilePath is not null, $"CorruptionException without a file: {error.Message}");
        Assert.True(
            Path.GetFullPath(error.FilePath).StartsWith(Path.GetFullPath(storeDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal),
            $"CorruptionException names '{error.FilePath}', not a file of {storeDirectory}: {error.Message}");
        Assert.True(error.Offset >= 0, $"CorruptionException without an offset: {error.Message}");
        Assert.Contains(error.FilePath, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Whether every damaged file is one the engine rebuilds from other files or never reads: an index (not replaced by another file's bytes), the lock file, a leftover <c>.tmp</c>.</summary>
    private static bool OnlyRebuildableFilesTouched(Damage damage) =>
        damage.TouchedFiles.All(file =>
            file == "LOCK"
            || file.EndsWith(".tmp", StringComparison.Ordinal)
            || (file.EndsWith(".idx", StringComparison.Ordinal) && !damage.IsReplaced(file)));
}

/// <summary>What one case produced: each store's verdict, and the checker's problems before open and after the engine closed the store.</summary>
internal sealed record FuzzResult(IReadOnlyList<StoreOutcome> Outcomes, IReadOnlyList<CheckProblem> CheckerBefore, IReadOnlyList<CheckProblem> CheckerAfter);
