namespace Quasar.Storage;

/// <summary>What kind of store a directory of a database holds.</summary>
public enum StoreKind
{
    /// <summary>A ledger: segment files, their indexes and a tail record (<c>ledger-&lt;name&gt;</c>).</summary>
    Ledger,

    /// <summary>A table: one table file (<c>table-&lt;name&gt;</c>).</summary>
    Table,
}
