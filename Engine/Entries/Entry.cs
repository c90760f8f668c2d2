namespace Quasar;

/// <summary>One entry of a ledger.</summary>
/// <param name="Sequence">The entry's sequence: greater than zero and strictly increasing within a ledger.</param>
/// <param name="Payload">The bytes stored on disk.</param>
/// <param name="Object">
/// An optional in-memory object (for example the decoded payload) that a cached ledger keeps with
/// the entry and hands back on reads served from its cache. It is never written to disk.
/// </param>
public readonly record struct Entry(ulong Sequence, ReadOnlyMemory<byte> Payload, object? Object = null);
