namespace Quasar.Storage;

/// <summary>One problem the checker found.</summary>
/// <param name="Severity">Error (damage) or warning.</param>
/// <param name="FilePath">The file it was found in.</param>
/// <param name="Offset">The byte offset in that file where the failing structure starts.</param>
/// <param name="Message">What is wrong, and for a warning what recovery does about it.</param>
public sealed record CheckProblem(ProblemSeverity Severity, string FilePath, long Offset, string Message)
{
    /// <summary>One line: severity, file, offset and message.</summary>
    public override string ToString() => $"{Severity}: {FilePath} at offset {Offset}: {Message}";
}
