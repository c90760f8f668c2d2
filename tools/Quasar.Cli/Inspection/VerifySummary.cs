using System.Globalization;
using Quasar.Cli.Output;
using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>The closing counts of <c>quasar verify</c>.</summary>
/// <param name="Stores">Ledgers and tables found.</param>
/// <param name="Segments">Segments of every ledger.</param>
/// <param name="Entries">Valid entries in them (dead ones below a Tail included).</param>
/// <param name="BytesChecked">Bytes of segment and table files the check read.</param>
/// <param name="Errors">Problems that are damage.</param>
/// <param name="Warnings">Problems recovery repairs, or facts worth knowing.</param>
/// <param name="Elapsed">The time the check and the counting took.</param>
internal sealed record VerifySummary(int Stores, long Segments, long Entries, long BytesChecked, int Errors, int Warnings, TimeSpan Elapsed)
{
    /// <summary>The summary of a check: the counts come from its last progress report, so nothing is read twice.</summary>
    /// <param name="inspector">The inspector the check ran on.</param>
    /// <param name="problems">What the check found.</param>
    /// <param name="last">The check's last progress report (default when there was nothing to check).</param>
    /// <param name="elapsed">The time the check took.</param>
    /// <returns>The summary.</returns>
    public static VerifySummary Count(DbInspector inspector, IReadOnlyList<CheckProblem> problems, CheckProgress last, TimeSpan elapsed)
    {
        int errors = problems.Count(p => p.Severity == ProblemSeverity.Error);
        return new VerifySummary(inspector.Stores.Count, last.SegmentsChecked, last.EntriesChecked, last.BytesChecked, errors, problems.Count - errors, elapsed);
    }

    /// <summary>The summary line.</summary>
    /// <returns>The line.</returns>
    public string Line() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Errors > 0 ? "DAMAGED" : "ok")}: {Stores} store(s), {Units.Count(Segments)} segment(s), {Units.Count(Entries)} entries, {Units.Bytes(BytesChecked)} checked, {Errors} error(s), {Warnings} warning(s) in {Elapsed.TotalSeconds:0.00} s");
}
