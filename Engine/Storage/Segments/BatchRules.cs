namespace Quasar.Storage.Segments;

/// <summary>
/// The rules that make a batch record valid (FORMAT.md, "Batch record"), applied entry by entry so
/// that recovery (the record in memory, <see cref="BatchScanner"/>) and the consistency checker
/// (the record streamed through a pipe) judge a batch identically. Each step returns null when the
/// record is still valid, else why it is not.
/// </summary>
/// <remarks>
/// A mutable struct: the caller keeps one per batch and calls <see cref="CheckEntryHeader"/> and
/// <see cref="CheckEntry"/> for each of the header's entries in order, then <see cref="Finish"/>.
/// </remarks>
internal struct BatchRules
{
    private readonly SegmentFormat.BatchHeader header;
    private ulong previous;
    private uint entries;

    /// <summary>Starts checking the entries of a batch whose header decoded as <paramref name="header"/>.</summary>
    /// <param name="header">The batch's checksum-verified header.</param>
    /// <param name="previousSequence">The last sequence before the batch (0 at the start of a log).</param>
    public BatchRules(SegmentFormat.BatchHeader header, ulong previousSequence)
    {
        this.header = header;
        previous = previousSequence;
        Position = SegmentFormat.BatchHeaderSize;
    }

    /// <summary>Where the next entry starts, in bytes from the start of the record.</summary>
    public long Position { get; private set; }

    /// <summary>How many entries have passed <see cref="CheckEntry"/>.</summary>
    public readonly uint Entries => entries;

    /// <summary>
    /// Whether a batch can start where it was found: its record must fit in the
    /// <paramref name="remaining"/> bytes of the file and its sequences follow
    /// <paramref name="previousSequence"/>.
    /// </summary>
    public static string? CheckPlacement(SegmentFormat.BatchHeader header, long remaining, ulong previousSequence)
    {
        if (header.Length > remaining)
        {
            return "incomplete batch record";
        }

        return header.FirstSequence <= previousSequence ? "batch sequences do not follow the previous batch" : null;
    }

    /// <summary>Whether the record still has room for the next entry's header.</summary>
    public readonly string? CheckEntryHeaderRoom() =>
        header.Length - Position < SegmentFormat.EntryHeaderSize ? $"entry {entries} of the batch is cut off" : null;

    /// <summary>Whether the next entry, whose header decoded as <paramref name="entry"/>, fits in the record.</summary>
    public readonly string? CheckEntryHeader(SegmentFormat.EntryHeader entry) =>
        entry.PayloadLength > header.Length - (Position + SegmentFormat.EntryHeaderSize) ? $"entry {entries} of the batch is cut off" : null;

    /// <summary>
    /// Accepts the next entry when its sequence increases (the first one being the header's first
    /// sequence) and <paramref name="checksum"/> (computed over its sequence, length and payload)
    /// matches the stored one; moves past it.
    /// </summary>
    public string? CheckEntry(SegmentFormat.EntryHeader entry, uint checksum)
    {
        if (entry.Sequence <= previous || checksum != entry.Checksum)
        {
            return $"entry {entries} of the batch fails its checksum";
        }

        if (entries == 0 && entry.Sequence != header.FirstSequence)
        {
            return "first entry does not match the batch header's first sequence";
        }

        previous = entry.Sequence;
        Position += SegmentFormat.EntrySize(entry.PayloadLength);
        entries++;
        return null;
    }

    /// <summary>Whether the entries ended exactly at the record's end, with the header's last sequence.</summary>
    public readonly string? Finish() =>
        Position != header.Length || previous != header.LastSequence ? "batch entries do not match the batch header" : null;
}
