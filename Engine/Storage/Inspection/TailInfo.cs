namespace Quasar.Storage;

/// <summary>A ledger's tail record: the last deleted sequence, as recovery would read it.</summary>
/// <param name="Path">The tail file.</param>
/// <param name="Tail">The tail of the valid copy with the highest generation (0 when there is none).</param>
/// <param name="Generation">That copy's generation (0 when the file is missing or empty).</param>
/// <param name="ValidCopies">How many of the two copies are valid (0, 1 or 2).</param>
public sealed record TailInfo(string Path, ulong Tail, ulong Generation, int ValidCopies);
