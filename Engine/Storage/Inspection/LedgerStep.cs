namespace Quasar.Storage;

/// <summary>One step of a <see cref="LedgerScan"/>: a batch checked (its bytes, and the entries asked for) or a segment finished.</summary>
/// <param name="Bytes">The bytes of the batch checked (0 for a finished segment or a failed batch).</param>
/// <param name="Entries">The batch's entries asked for, when entries were asked for.</param>
/// <param name="Segment">The segment just finished, or null.</param>
internal readonly record struct LedgerStep(long Bytes, List<Entry>? Entries, SegmentInfo? Segment);
