namespace Quasar.Cli.Demo;

/// <summary>The ledger's counters and the size of the files behind it.</summary>
/// <param name="Length">Entries in the ledger.</param>
/// <param name="Head">Last written sequence.</param>
/// <param name="Tail">Last deleted sequence.</param>
/// <param name="SegmentFiles">Segment data files.</param>
/// <param name="DiskBytes">Bytes in segment and table files (index files are sparse maps and left out).</param>
internal sealed record StoreState(long Length, ulong Head, ulong Tail, int SegmentFiles, long DiskBytes);
