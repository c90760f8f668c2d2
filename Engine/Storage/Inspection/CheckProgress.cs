namespace Quasar.Storage;

/// <summary>How far a check has got, for a progress bar.</summary>
/// <param name="BytesChecked">Bytes of segment data and table files checked so far (index and tail files are small beside them and not counted).</param>
/// <param name="TotalBytes">Bytes the whole check reads (measured when it started).</param>
/// <param name="SegmentsChecked">Segments finished so far, over every ledger.</param>
/// <param name="EntriesChecked">Valid entries in the finished segments (dead ones below a Tail included): the last report holds the store's totals, so a caller needs no second pass to count them.</param>
public readonly record struct CheckProgress(long BytesChecked, long TotalBytes, long SegmentsChecked, long EntriesChecked);
