using System.IO.Enumeration;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// Records every file-system call a scenario's operation makes, then reruns the operation once per
/// recorded call, failing exactly that call (writes also half written), and once more failing it
/// and every later call of its kind on its path (a disk that stays broken while the operation runs).
/// Every case starts from a fresh copy of the same starting store, in the same directory, so the
/// recorded paths name the same files on every rerun.
/// </summary>
internal sealed class FaultSweep(FaultScenario scenario) : IDisposable
{
    private readonly TempDirectory temp = new();

    private string Template => Path.Combine(temp.Path, "template");

    private string Work => Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    /// <summary>The recording run first, then one outcome per injected fault.</summary>
    public IReadOnlyList<FaultOutcome> Run()
    {
        BuildTemplate();
        StoreSnapshot openedBefore = scenario.Kind == ScenarioKind.Open ? ReadStartingStore() : StoreSnapshot.Empty;
        var recording = new FaultOutcome(null, FaultEffect.Throw);
        ResetWork();
        IReadOnlyList<FileCall> calls = FaultCaseRun.Run(scenario, Work, openedBefore, null, recording);
        if (scenario.MustCall is { } required
            && !calls.Any(c => c.Operation == required.Operation && FileSystemName.MatchesSimpleExpression(required.PathPattern, c.Path, ignoreCase: false)))
        {
            recording.Violations.Add($"the operation made no {required.Operation} of '{required.PathPattern}': the scenario misses what it is named for");
        }

        var outcomes = new List<FaultOutcome> { recording };
        foreach (FileCall call in calls)
        {
            foreach ((FaultEffect effect, bool persistent) in FaultsFor(call))
            {
                var outcome = new FaultOutcome(call, effect, persistent);
                ResetWork();
                FaultCaseRun.Run(scenario, Work, openedBefore, FaultRule.Exactly(call, effect, persistent), outcome);
                if (outcome.Error is null && scenario.MayReturn?.Invoke(call) != true)
                {
                    outcome.Violations.Add("the call returned although its fault was not tolerated");
                }

                outcomes.Add(outcome);
            }
        }

        return outcomes;
    }

    /// <summary>Each call fails once; a write also half written; and once persistently (it and every later call of its kind on its path, while the operation runs).</summary>
    private static (FaultEffect, bool)[] FaultsFor(FileCall call) =>
        call.Operation == FileFault.Write
            ? [(FaultEffect.Throw, false), (FaultEffect.Partial, false), (FaultEffect.Throw, true)]
            : [(FaultEffect.Throw, false), (FaultEffect.Throw, true)];

    /// <summary>Builds the starting store on the real file system; a scenario without a Prepare starts from no directory at all.</summary>
    private void BuildTemplate()
    {
        if (scenario.Prepare is null)
        {
            return;
        }

        var session = new FaultSession(Template, scenario.Options);
        session.Open();
        try
        {
            scenario.Prepare(session);
        }
        finally
        {
            session.Close();
        }

        scenario.Damage?.Invoke(Template);
    }

    /// <summary>What a healthy open of a copy of the starting store reads (after any recovery).</summary>
    private StoreSnapshot ReadStartingStore()
    {
        ResetWork();
        var session = new FaultSession(Work, scenario.Options);
        session.Open();
        try
        {
            return session.Read();
        }
        finally
        {
            session.Close();
        }
    }

    private void ResetWork()
    {
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }

        if (Directory.Exists(Template))
        {
            Copy(Template, Work);
        }
    }

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.GetDirectories(source))
        {
            Copy(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
