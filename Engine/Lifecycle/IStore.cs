namespace Quasar.Lifecycle;

/// <summary>A ledger or table as its database sees it.</summary>
internal interface IStore : IDisposable
{
    /// <summary>Makes everything written so far durable.</summary>
    void Sync();
}
