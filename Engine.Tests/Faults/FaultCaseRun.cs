using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// One case of a fault sweep: runs the scenario's call on a fresh copy of its store with one
/// fault injected (or, for the recording run, none) and checks every promise: the call throws an
/// <see cref="IOException"/> or nothing; the live content is what it was before or what a
/// successful call makes of it; each store either takes the next write or refuses it with an
/// <see cref="IOException"/>; and after a close and a reopen on a healthy file system the checker
/// finds nothing and the content is what was acknowledged, the failed call's effect whole or absent.
/// </summary>
internal static class FaultCaseRun
{
    /// <summary>Written after the faulted call, when the stores are still open.</summary>
    private static readonly Entry FollowUp = TestEntries.Make(1_000_000);

    /// <summary>Written after the healthy reopen: the store must take writes again.</summary>
    private static readonly Entry AfterReopen = TestEntries.Make(2_000_000);

    /// <summary>Runs one case in <paramref name="work"/> (already holding a fresh copy of the starting store).</summary>
    /// <param name="scenario">The operation.</param>
    /// <param name="work">The database directory of the case.</param>
    /// <param name="openedBefore">For an open scenario, what a healthy open of the starting store reads.</param>
    /// <param name="fault">The fault to inject; null for the recording run.</param>
    /// <param name="outcome">Receives what happened.</param>
    /// <returns>The calls the operation made, when <paramref name="fault"/> is null.</returns>
    public static IReadOnlyList<FileCall> Run(FaultScenario scenario, string work, StoreSnapshot openedBefore, FaultRule? fault, FaultOutcome outcome)
    {
        string[] startingErrors = Errors(work);
        var files = new FaultyFileSystem();
        var session = new FaultSession(work, scenario.Options with { FileSystem = files });
        try
        {
            if (scenario.Kind != ScenarioKind.Open)
            {
                session.Open();
                scenario.Dirty?.Invoke(session);
            }

            StoreSnapshot before = scenario.Kind == ScenarioKind.Open ? openedBefore : session.Read();
            StoreSnapshot after = scenario.Effect(before);
            IReadOnlyList<FileCall> calls = [];
            if (fault is null)
            {
                files.StartRecording();
            }
            else
            {
                files.Inject(fault);
            }

            Exception? error = Catch(() => scenario.Act(session));
            if (fault is null)
            {
                calls = files.StopRecording();
            }

            files.Heal();
            outcome.Error = error is null ? null : $"{error.GetType().Name} ({error.Message})";
            JudgeCall(fault, error, outcome);
            List<StoreSnapshot> possible = error is null ? [after] : [before, after];
            if (session.IsOpen)
            {
                Expect(possible, session.Read(), "while still open", outcome);
                possible = FollowUps(session, possible, outcome);
            }

            Exception? closeError = Catch(session.Close);
            outcome.CloseError = closeError?.GetType().Name;
            Allow(closeError, "the closing Db.Dispose", outcome);
            Reopen(scenario, work, possible, startingErrors, outcome);
            return calls;
        }
        finally
        {
            Catch(session.Close);
        }
    }

    private static void JudgeCall(FaultRule? fault, Exception? error, FaultOutcome outcome)
    {
        if (fault is not null && !fault.Fired)
        {
            outcome.Violations.Add("the call was not made again on the rerun (the recording is not deterministic)");
        }

        if (fault is null && error is not null)
        {
            outcome.Violations.Add($"failed with no fault injected: {error}");
        }

        Allow(error, "the call", outcome);
    }

    /// <summary>Writes to both stores: each takes the write (kept working) or refuses it with an IOException (refuses until reopen).</summary>
    private static List<StoreSnapshot> FollowUps(FaultSession session, List<StoreSnapshot> possible, FaultOutcome outcome)
    {
        Exception? ledgerError = Catch(() => session.OpenLedger.Write(FollowUp));
        Allow(ledgerError, "the next ledger write", outcome);
        outcome.LedgerKeptWorking = ledgerError is null;
        Exception? tableError = Catch(() => session.OpenTable.Set("follow-up", 7));
        Allow(tableError, "the next table set", outcome);
        outcome.TableKeptWorking = tableError is null;
        return [.. possible.Select(p => Acknowledged(p, ledgerError is null, tableError is null))];
    }

    private static StoreSnapshot Acknowledged(StoreSnapshot content, bool ledgerWrite, bool tableSet)
    {
        StoreSnapshot result = ledgerWrite ? content.WithWrite([FollowUp]) : content;
        return tableSet ? result.WithSet("follow-up", 7) : result;
    }

    /// <summary>Checks the files (no error the starting store did not have), reopens on the real file system, compares, writes once more, closes, checks again (nothing at all).</summary>
    private static void Reopen(FaultScenario scenario, string work, List<StoreSnapshot> possible, string[] startingErrors, FaultOutcome outcome)
    {
        string[] newErrors = [.. Errors(work).Except(startingErrors)];
        if (newErrors.Length > 0)
        {
            outcome.Violations.Add($"the checker found {newErrors.Length} new error(s) before the reopen: {string.Join(" / ", newErrors)}");
        }

        var healthy = new FaultSession(work, scenario.Options);
        try
        {
            healthy.Open();
            Expect(possible, healthy.Read(), "after a reopen", outcome);
            healthy.OpenLedger.Write(AfterReopen);
            healthy.OpenTable.Set("after-reopen", 9);
            healthy.Close();
        }
        catch (Exception error)
        {
            outcome.Violations.Add($"the reopened store failed: {error}");
            Catch(healthy.Close);
            return;
        }

        IReadOnlyList<CheckProblem> problems = StoreCheck.Problems(work);
        if (problems.Count > 0)
        {
            outcome.Violations.Add($"the checker found {problems.Count} problem(s) after the reopen: {string.Join(" / ", problems)}");
        }
    }

    /// <summary>The checker's errors (warnings are a crash's leftovers that recovery repairs); none when there is no database (a failed open of a new one).</summary>
    private static string[] Errors(string work) =>
        Directory.Exists(work) ? [.. StoreCheck.Problems(work).Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.ToString())] : [];

    private static void Expect(List<StoreSnapshot> possible, StoreSnapshot actual, string when, FaultOutcome outcome)
    {
        if (!possible.Contains(actual))
        {
            outcome.Violations.Add($"content {when} is {actual}; expected {string.Join(" or ", possible)}");
        }
    }

    /// <summary>An error is allowed when it is an IOException (never a signal, never another type).</summary>
    private static void Allow(Exception? error, string what, FaultOutcome outcome)
    {
        if (error is not null and not IOException)
        {
            outcome.Violations.Add($"{what} threw {error.GetType().Name}, not an IOException: {error}");
        }
    }

    private static Exception? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }
}
