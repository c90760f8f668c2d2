namespace Quasar.Storage;

/// <summary>A table's live names and positions, replayed from its file as recovery would.</summary>
/// <param name="Path">The table file.</param>
/// <param name="Generation">The header's generation (rewrites so far).</param>
/// <param name="Length">The file's length in bytes.</param>
/// <param name="Positions">Every live name with its positions, ordered by name (ordinal).</param>
public sealed record TableInfo(string Path, ulong Generation, long Length, IReadOnlyDictionary<string, ulong[]> Positions);
