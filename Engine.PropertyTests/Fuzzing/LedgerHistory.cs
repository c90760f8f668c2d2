namespace Quasar.PropertyTests.Fuzzing;

/// <summary>One batch as written: the segment file it landed in (relative to the store) and its byte range there.</summary>
internal sealed record FuzzBatch(string Segment, long Start, long End, Entry[] Entries);

/// <summary>
/// What was written to one ledger of the <see cref="BaseStore"/>: every batch with where it
/// landed, every Tail it had, and (once settled) which batches are still in a segment file.
/// </summary>
/// <param name="Prefix">The ledger's prefix (lower case, so it is also its directory's name part).</param>
/// <param name="Durable">Whether it was written with <c>SyncWrites</c>, so every batch carries the durable flag.</param>
internal sealed record LedgerHistory(string Prefix, bool Durable)
{
    private const int SegmentHeaderSize = 32;

    private readonly List<FuzzBatch> batches = [];
    private readonly List<ulong> tails = [0];

    public IReadOnlyList<FuzzBatch> Batches => batches;

    /// <summary>Every Tail the ledger had, 0 first: what an older (or no) tail record brings back.</summary>
    public IReadOnlyList<ulong> Tails => tails;

    public ulong FinalTail => tails[^1];

    /// <summary>The ledger's directory relative to the store.</summary>
    public string Directory => "ledger-" + Prefix;

    public string TailFile => Path.Combine(Directory, "tail");

    /// <summary>Batches whose segment file still exists, in order (set by <see cref="Settle"/>).</summary>
    public IReadOnlyList<FuzzBatch> Physical { get; private set; } = [];

    /// <summary>The payload every written sequence got.</summary>
    public Dictionary<ulong, byte[]> Written { get; } = [];

    /// <summary>A payload that names its sequence in its length and every byte, so a moved entry never passes as another.</summary>
    public static byte[] PayloadOf(ulong sequence)
    {
        var payload = new byte[1 + (int)(sequence * 37 % 150)];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)((sequence * 31) + ((ulong)i * 7));
        }

        return payload;
    }

    /// <summary>Writes <paramref name="batches"/> batches of 1..4 entries with small gaps between sequences, tracking where each lands.</summary>
    public void WriteBatches(string store, Ledger ledger, int batches, ulong firstSequence)
    {
        var random = new Random(batches + (int)firstSequence);
        ulong sequence = firstSequence;
        for (int b = 0; b < batches; b++)
        {
            var entries = new Entry[random.Next(1, 5)];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = new Entry(sequence, PayloadOf(sequence));
                Written[sequence] = PayloadOf(sequence);
                sequence += (ulong)random.Next(1, 4);
            }

            Dictionary<string, long> before = SegmentFiles(store).ToDictionary(p => p, p => new FileInfo(p).Length);
            ledger.Write(entries);
            string newest = SegmentFiles(store)[^1];
            long start = before.TryGetValue(newest, out long length) ? length : SegmentHeaderSize;
            this.batches.Add(new FuzzBatch(Path.GetRelativePath(store, newest), start, new FileInfo(newest).Length, entries));
        }
    }

    public void DeleteThrough(Ledger ledger, ulong sequence)
    {
        ledger.Delete(sequence);
        tails.Add(ledger.Tail);
    }

    /// <summary>Notes which batches survived in segment files once the store is closed.</summary>
    public void Settle(string store) =>
        Physical = [.. batches.Where(b => File.Exists(Path.Combine(store, b.Segment)))];

    private string[] SegmentFiles(string store)
    {
        string[] files = System.IO.Directory.GetFiles(Path.Combine(store, Directory), "*.seg");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
