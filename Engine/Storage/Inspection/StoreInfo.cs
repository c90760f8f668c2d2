namespace Quasar.Storage;

/// <summary>One store of a database directory, as found on disk.</summary>
/// <param name="Prefix">The prefix the store was opened with (the directory name mapped back).</param>
/// <param name="Kind">Ledger or table.</param>
/// <param name="Directory">The store's directory, a full path.</param>
public sealed record StoreInfo(string Prefix, StoreKind Kind, string Directory);
