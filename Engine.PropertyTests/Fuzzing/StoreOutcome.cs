namespace Quasar.PropertyTests.Fuzzing;

/// <summary>How one store of a mutated copy came through open and a full read.</summary>
internal enum StoreVerdict
{
    /// <summary>Opened and read back exactly what the base store held.</summary>
    Intact,

    /// <summary>Opened and read back less (or an older Tail), in a way FORMAT.md's recovery rules allow for the damage done.</summary>
    Repaired,

    /// <summary>Open or a read threw <see cref="CorruptionException"/> naming a file of the store and an offset.</summary>
    Detected,
}

/// <summary>
/// The verdict for one store, with the exception when it was detected, a note on what was lost
/// when repaired, and what was read (as text), so that a second open can be compared with it.
/// </summary>
internal sealed record StoreOutcome(string Store, StoreVerdict Verdict, CorruptionException? Error = null, string? Note = null, string? Contents = null)
{
    public static StoreOutcome Detected(string store, CorruptionException error) => new(store, StoreVerdict.Detected, error);
}
