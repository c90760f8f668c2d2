using Quasar.Storage;

namespace Quasar.Tests.Support;

/// <summary>
/// Runs the library's consistency checker (<see cref="DbInspector.Check"/>) on a database
/// directory and fails the test on any error. Engine.Tests and Engine.PropertyTests both compile
/// this one file (the property tests link it from here), so every suite that leaves files behind
/// also checks them.
/// </summary>
public static class StoreCheck
{
    /// <summary>Every problem the checker finds in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<CheckProblem> Problems(string directory, int bufferSize = DbInspector.DefaultBufferSize) =>
        [.. DbInspector.Open(directory, bufferSize).Check()];

    /// <summary>Fails when the checker finds an error; warnings (a torn tail recovery truncates, ...) are allowed and returned.</summary>
    public static IReadOnlyList<CheckProblem> AssertNoErrors(string directory, string? context = null)
    {
        IReadOnlyList<CheckProblem> problems = Problems(directory);
        CheckProblem[] errors = [.. problems.Where(p => p.Severity == ProblemSeverity.Error)];
        Assert.True(errors.Length == 0, $"the consistency checker found {errors.Length} error(s) in {directory}{(context is null ? string.Empty : $" ({context})")}:\n{string.Join('\n', problems)}");
        return problems;
    }

    /// <summary>Fails when the checker finds anything at all, warning or error.</summary>
    public static void AssertClean(string directory)
    {
        IReadOnlyList<CheckProblem> problems = Problems(directory);
        Assert.True(problems.Count == 0, $"the consistency checker found {problems.Count} problem(s) in {directory}:\n{string.Join('\n', problems)}");
    }
}
