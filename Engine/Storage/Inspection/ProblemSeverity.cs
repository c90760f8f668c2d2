namespace Quasar.Storage;

/// <summary>How bad a problem the checker found is.</summary>
public enum ProblemSeverity
{
    /// <summary>A state a crash legitimately leaves (recovery repairs it on open, e.g. a torn tail), or a cross-store fact worth knowing.</summary>
    Warning,

    /// <summary>Damage: a file that fails validation in a way no crash explains.</summary>
    Error,
}
