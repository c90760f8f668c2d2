namespace Quasar.Storage;

/// <summary>What a segment's index file holds.</summary>
/// <param name="Path">The index file.</param>
/// <param name="Length">Its length in bytes (0 when missing).</param>
/// <param name="State">Missing, invalid, active or sealed.</param>
/// <param name="SlotCount">The header's count when sealed; for an active index, the leading slots that are written.</param>
/// <param name="IsShort">Whether the file is too short for the slots its header or its segment needs.</param>
public sealed record IndexInfo(string Path, long Length, IndexState State, long SlotCount, bool IsShort);
