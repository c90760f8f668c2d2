namespace Quasar.Storage;

/// <summary>How far a check has got, for a progress bar.</summary>
/// <param name="BytesChecked">Bytes of segment data and table files checked so far (index and tail files are small beside them and not counted).</param>
/// <param name="TotalBytes">Bytes the whole check reads (measured when it started).</param>
public readonly record struct CheckProgress(long BytesChecked, long TotalBytes);
