namespace Quasar.Storage;

/// <summary>
/// The problems found in one file, capped: a file damaged throughout reports its first
/// <see cref="MaxPerFile"/> problems and how many more there were, not one line per slot.
/// </summary>
internal sealed class ProblemList
{
    /// <summary>The most problems kept per file.</summary>
    public const int MaxPerFile = 20;

    private readonly List<CheckProblem> problems = [];
    private readonly Dictionary<string, int> perFile = new(StringComparer.Ordinal);

    /// <summary>The problems kept so far, in the order found.</summary>
    public IReadOnlyList<CheckProblem> Items => problems;

    /// <summary>Whether an error has been found.</summary>
    public bool HasError { get; private set; }

    /// <summary>Records damage at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    public void Error(string path, long offset, string message) => Add(new CheckProblem(ProblemSeverity.Error, path, offset, message));

    /// <summary>Records a warning at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    public void Warning(string path, long offset, string message) => Add(new CheckProblem(ProblemSeverity.Warning, path, offset, message));

    /// <summary>Records <paramref name="problem"/>, or only counts it once its file has <see cref="MaxPerFile"/>.</summary>
    public void Add(CheckProblem problem)
    {
        HasError |= problem.Severity == ProblemSeverity.Error;
        int count = perFile.GetValueOrDefault(problem.FilePath) + 1;
        perFile[problem.FilePath] = count;
        if (count <= MaxPerFile)
        {
            problems.Add(problem);
        }
        else if (count == MaxPerFile + 1)
        {
            problems.Add(problem with { Message = $"more problems in this file are left out after the first {MaxPerFile}; from here: {problem.Message}" });
        }
    }

    /// <summary>
    /// Takes over problems another list already kept (and capped): counted per file like
    /// <see cref="Add"/>, but never capped again, so the note that says the rest were left out is
    /// written once, by the list that left them out.
    /// </summary>
    public void AddKept(CheckProblem problem)
    {
        HasError |= problem.Severity == ProblemSeverity.Error;
        perFile[problem.FilePath] = perFile.GetValueOrDefault(problem.FilePath) + 1;
        problems.Add(problem);
    }

    /// <summary>Hands out the problems kept so far and forgets them (the file counts stay).</summary>
    public CheckProblem[] Drain()
    {
        CheckProblem[] drained = [.. problems];
        problems.Clear();
        return drained;
    }
}
