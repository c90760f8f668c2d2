namespace Quasar.Storage;

/// <summary>
/// Read-only inspection of a database directory: its stores, segments, indexes, tail records and
/// tables, the entries of a ledger, and a consistency check of every byte (in the manner of
/// bbolt's <c>tx.Check</c>). It never takes the directory's lock, never writes, repairs or creates
/// a file, so it works on a directory a live <see cref="Db"/> holds open (it then sees a prefix of
/// what is being appended) and on a damaged one.
/// </summary>
/// <remarks>
/// Segment, index and table files are read front to back through
/// <see cref="System.IO.Pipelines.PipeReader"/>s with a buffer of <see cref="BufferSize"/> bytes;
/// no file is read whole, so checking a store of any size takes constant memory (plus, while
/// streaming entries, the entries of one batch). Each call rescans the files it needs; results are
/// enumerated lazily, so a caller sees the first problems while later files are still unread.
/// </remarks>
public sealed class DbInspector
{
    /// <summary>The pipe buffer size used unless another is given (64 KiB).</summary>
    public const int DefaultBufferSize = 64 * 1024;

    private DbInspector(string directory, IReadOnlyList<StoreInfo> stores, int bufferSize)
    {
        Directory = directory;
        Stores = stores;
        BufferSize = bufferSize;
    }

    /// <summary>The database directory, a full path.</summary>
    public string Directory { get; }

    /// <summary>The stores found in the directory when it was opened, ledgers and tables, ordered by directory name.</summary>
    public IReadOnlyList<StoreInfo> Stores { get; }

    /// <summary>The size of each file's read buffer in bytes.</summary>
    public int BufferSize { get; }

    /// <summary>Lists the stores of <paramref name="directory"/> without taking its lock; sub-directories that are not stores are left out.</summary>
    /// <param name="directory">A database directory.</param>
    /// <param name="bufferSize">The read buffer per file (at least 4096 bytes).</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> is below 4096.</exception>
    public static DbInspector Open(string directory, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4096);
        string full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The database directory '{full}' does not exist.");
        }

        var stores = new List<StoreInfo>();
        foreach (string path in System.IO.Directory.GetDirectories(full).Order(StringComparer.Ordinal))
        {
            if (StoreNames.TryParse(Path.GetFileName(path), out bool isLedger, out string prefix))
            {
                stores.Add(new StoreInfo(prefix, isLedger ? StoreKind.Ledger : StoreKind.Table, path));
            }
        }

        return new DbInspector(full, stores, bufferSize);
    }

    /// <summary>The ledger's tail record, as recovery would read it (Tail 0 when there is none or no copy is valid).</summary>
    /// <param name="ledger">A ledger of <see cref="Stores"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="ledger"/> is not a ledger of <see cref="Stores"/>.</exception>
    public TailInfo ReadTail(StoreInfo ledger) => TailCheck.Read(Of(ledger, StoreKind.Ledger).Directory, new ProblemList());

    /// <summary>The table's live names and positions, replayed as recovery would (up to a torn or damaged record).</summary>
    /// <param name="table">A table of <see cref="Stores"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a table of <see cref="Stores"/>.</exception>
    public TableInfo ReadTable(StoreInfo table)
    {
        return TableScan.Read(Of(table, StoreKind.Table).Directory, new ProblemList(), null, null, BufferSize);
    }

    /// <summary>The ledger's segments in log order, each scanned to its end or its first invalid batch.</summary>
    /// <param name="ledger">A ledger of <see cref="Stores"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="ledger"/> is not a ledger of <see cref="Stores"/>.</exception>
    public IEnumerable<SegmentInfo> ReadSegments(StoreInfo ledger)
    {
        string directory = Of(ledger, StoreKind.Ledger).Directory;
        foreach (LedgerStep step in LedgerScan.Scan(directory, 0, new ProblemList(), BufferSize, false, null, 0))
        {
            if (step.Segment is not null)
            {
                yield return step.Segment;
            }
        }
    }

    /// <summary>
    /// The ledger's live entries (above its Tail) from <paramref name="from"/> on, in sequence order,
    /// each verified against its checksum: what <see cref="Quasar.Ledger.Read"/> returns once the
    /// ledger is opened. A torn tail ends the stream, as recovery would truncate it.
    /// </summary>
    /// <param name="ledger">A ledger of <see cref="Stores"/>.</param>
    /// <param name="from">The first sequence wanted.</param>
    /// <param name="count">The most entries returned.</param>
    /// <exception cref="ArgumentException"><paramref name="ledger"/> is not a ledger of <see cref="Stores"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="CorruptionException">A segment is damaged before the entries asked for end.</exception>
    public IEnumerable<Entry> ReadEntries(StoreInfo ledger, ulong from = 0, long count = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        string directory = Of(ledger, StoreKind.Ledger).Directory;
        ulong tail = TailCheck.Read(directory, new ProblemList()).Tail;
        long left = count;
        foreach (LedgerStep step in LedgerScan.Scan(directory, tail, new ProblemList(), BufferSize, false, s => s >= from, from))
        {
            foreach (Entry entry in step.Entries ?? [])
            {
                if (left-- == 0)
                {
                    yield break;
                }

                yield return entry;
            }
        }
    }

    /// <summary>
    /// Checks every file of every store and the facts across them, yielding each problem as it is
    /// found, file by file: every segment header against its file name, every batch and entry
    /// checksum and record structure, sequences strictly increasing across batches and segments,
    /// every index slot against the entry it names, the sealed index counts and checksums, both
    /// tail copies, every table record, leftover files, and stored consumer positions against
    /// their ledger's Tail. A state recovery repairs on open (a torn tail, unwritten slots of the
    /// last batch) is a <see cref="ProblemSeverity.Warning"/> that says what recovery would do;
    /// damage is an <see cref="ProblemSeverity.Error"/>. Nothing found: a consistent directory.
    /// </summary>
    /// <param name="progress">Receives the bytes checked so far and the total, after each batch and table record.</param>
    public IEnumerable<CheckProblem> Check(IProgress<CheckProgress>? progress = null) =>
        DbCheck.Run(Stores, BufferSize, progress);

    /// <summary>Checks that <paramref name="store"/> is one of <see cref="Stores"/> and of <paramref name="kind"/>.</summary>
    private StoreInfo Of(StoreInfo store, StoreKind kind)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!Stores.Contains(store))
        {
            throw new ArgumentException($"'{store.Directory}' is not a store of '{Directory}'.", nameof(store));
        }

        return store.Kind == kind ? store : throw new ArgumentException($"'{store.Prefix}' is a {store.Kind}, not a {kind}.", nameof(store));
    }
}
