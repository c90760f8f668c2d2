namespace Quasar.Storage;

/// <summary>One segment of a ledger: its files and what their valid part holds.</summary>
/// <param name="DataPath">The segment (<c>.seg</c>) file.</param>
/// <param name="BaseSequence">The base sequence its file name gives.</param>
/// <param name="DataLength">The data file's length in bytes.</param>
/// <param name="BatchCount">Valid batch records, from the start of the file to the first invalid one.</param>
/// <param name="EntryCount">Entries in those batches.</param>
/// <param name="FirstSequence">The first valid entry's sequence (0 when none).</param>
/// <param name="LastSequence">The last valid entry's sequence (0 when none).</param>
/// <param name="ValidLength">Where the valid batches end (the file's length when all are valid).</param>
/// <param name="Index">The segment's index file.</param>
public sealed record SegmentInfo(
    string DataPath,
    ulong BaseSequence,
    long DataLength,
    long BatchCount,
    long EntryCount,
    ulong FirstSequence,
    ulong LastSequence,
    long ValidLength,
    IndexInfo Index);
