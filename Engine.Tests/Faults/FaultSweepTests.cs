using Xunit.Abstractions;

namespace Quasar.Tests.Faults;

/// <summary>
/// I/O faults at every call site (issue 12, deliverable 5): each public operation's file-system
/// calls are recorded, then each one in turn is failed. The call throws an IOException (or, where
/// the engine tolerates the fault, succeeds), nothing acknowledged is lost, each store keeps
/// working or refuses writes until a reopen, and a reopen shows a clean store holding exactly
/// what was acknowledged, the failed call's effect whole or absent. The output lists every case;
/// FORMAT.md "When an I/O call fails" sums them up.
/// </summary>
public sealed class FaultSweepTests(ITestOutputHelper output)
{
    public static TheoryData<string> Operations => [.. FaultScenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Operations))]
    public void Every_failed_call_throws_an_IOException_loses_nothing_and_leaves_a_consistent_store(string operation)
    {
        FaultScenario scenario = FaultScenarios.Named(operation);
        using var sweep = new FaultSweep(scenario);

        IReadOnlyList<FaultOutcome> outcomes = sweep.Run();

        output.WriteLine($"{operation}: {outcomes.Count - 1} injected faults");
        foreach (FaultOutcome outcome in outcomes)
        {
            output.WriteLine($"  {outcome}");
        }

        string[] broken = [.. outcomes.SelectMany(o => o.Violations.Select(v => $"{operation}, {o.Injected}: {v}"))];
        Assert.True(broken.Length == 0, $"{broken.Length} broken promise(s):\n{string.Join('\n', broken)}");
    }
}
