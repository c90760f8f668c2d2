using System.IO.Enumeration;

namespace Quasar.Tests.Support;

/// <summary>How an injected fault fails a call.</summary>
public enum FaultEffect
{
    /// <summary>The call does nothing and throws an <see cref="IOException"/>.</summary>
    Throw,

    /// <summary>A write writes the first half of its bytes, then throws (other calls: as <see cref="Throw"/>).</summary>
    Partial,
}

/// <summary>
/// One injected fault: operation x path pattern x n-th matching call. The pattern is matched
/// against the full path with <c>*</c> and <c>?</c> wildcards (<c>*.seg</c>, <c>*/table.log</c>,
/// or an exact path); <see cref="Occurrence"/> 0 fails every matching call, n fails only the n-th
/// (counted from when the rule was added), so a rule fails "exactly that call" of a recording;
/// a persistent rule fails the n-th and every later matching call (a disk that stays broken).
/// </summary>
public sealed class FaultRule(FileFault operation, string pathPattern = "*", int occurrence = 0, FaultEffect effect = FaultEffect.Throw, bool persistent = false)
{
    private int matches;

    public FileFault Operation { get; } = operation;

    public string PathPattern { get; } = pathPattern;

    public int Occurrence { get; } = occurrence;

    public FaultEffect Effect { get; } = effect;

    public bool Persistent { get; } = persistent;

    /// <summary>Whether the call this rule fails was made (with occurrence 0: any matching call).</summary>
    public bool Fired => Volatile.Read(ref matches) >= Math.Max(Occurrence, 1);

    /// <summary>The rule that fails exactly <paramref name="call"/> when the recorded work runs again.</summary>
    public static FaultRule Exactly(FileCall call, FaultEffect effect = FaultEffect.Throw, bool persistent = false) =>
        new(call.Operation, call.Path, call.Occurrence, effect, persistent);

    /// <summary>Counts the call when it matches; true when it is the one (or, with occurrence 0, one of those) to fail. Called under the file system's lock.</summary>
    internal bool Fails(FileFault called, string path)
    {
        if (called != Operation || !FileSystemName.MatchesSimpleExpression(PathPattern, path, ignoreCase: false))
        {
            return false;
        }

        matches++;
        return Occurrence == 0 || matches == Occurrence || (Persistent && matches > Occurrence);
    }

    public override string ToString() =>
        $"{Effect} {Operation} of '{PathPattern}'{(Occurrence == 0 ? string.Empty : $", call {Occurrence}")}{(Persistent ? " and later" : string.Empty)}";
}
