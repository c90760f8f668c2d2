using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Tables;

/// <summary>
/// Where a live name's latest set record lies in the table file, with the first and last of its
/// positions (enough for <see cref="TableLiveMap.Range"/> without reading the file) and, when
/// the table caches, the positions themselves.
/// </summary>
/// <param name="Offset">The record's offset in the current table file.</param>
/// <param name="Length">The record's encoded length, frame included.</param>
/// <param name="First">The record's first position.</param>
/// <param name="Last">The record's last position.</param>
/// <param name="Positions">The positions when the table caches them; null when they are read from the file.</param>
internal readonly record struct LiveRecord(long Offset, int Length, ulong First, ulong Last, ulong[]? Positions)
{
    /// <summary>The same record at another offset (after a rewrite moved it).</summary>
    public LiveRecord MovedTo(long offset) => this with { Offset = offset };

    /// <summary>A copy of the positions stored under <paramref name="name"/>: from the cache, or read and verified from <paramref name="file"/>.</summary>
    /// <param name="name">The name the record must hold.</param>
    /// <param name="file">The table file the record lies in.</param>
    /// <param name="path">The table file's path, for error messages.</param>
    /// <exception cref="CorruptionException">The record is cut off, fails its checks, or holds another name.</exception>
    public ulong[] ReadPositions(string name, IStorageFile file, string path)
    {
        if (Positions is not null)
        {
            return (ulong[])Positions.Clone();
        }

        using SpanOwner<byte> buffer = SpanOwner<byte>.Allocate(Length);
        if (file.Read(buffer.Span, Offset) < Length)
        {
            throw new CorruptionException(path, Offset, $"file ends inside the record of '{name}'");
        }

        string? problem = TableFormat.TryReadRecord(buffer.Span, out TableFormat.Record record);
        if (problem is not null || record.Name != name || record.Kind != TableFormat.KindSet)
        {
            throw new CorruptionException(path, Offset, problem ?? $"record does not hold '{name}'");
        }

        return record.Positions;
    }
}
