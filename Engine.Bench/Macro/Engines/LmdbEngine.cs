using System.Buffers.Binary;
using System.Diagnostics;
using LightningDB;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// LMDB (native C, LMDB 1.0.1 built from LightningDB's sources, see <see cref="LmdbNative"/>)
/// through LightningDB: one environment per directory, its unnamed database, keys the sequence as
/// 8 bytes big-endian (so key order is sequence order) put with MDB_APPEND, one write transaction
/// per batch, no WRITEMAP (commits write pages with pwrite). W7 is in LmdbEngine.Concurrent.cs.
/// </summary>
public sealed partial class LmdbEngine : IEngineWorkloads
{
    /// <summary>
    /// The map's size limit: address space only (the file grows as pages are used, and only
    /// touched pages count towards RSS), large enough for W8's 100 M entries.
    /// </summary>
    private const long MapSize = 64L << 30;

    /// <summary>Loads the native library first: an engine that cannot run fails here, not mid-workload.</summary>
    public LmdbEngine() => LmdbNative.EnsureLoaded();

    public string Name => "lmdb";

    public bool Supports(string workload) => workload is "W1" or "W2" or "W3" or "W4" or "W6";

    public string Mode(string workload) => workload switch
    {
        "W1" => "MDB_NOSYNC, one write txn per 1000 (MDB_APPEND), one forced mdb_env_sync at the end; no compression",
        "W2" => "default sync: each commit of a write txn of 10 (MDB_APPEND) fdatasyncs the data pages, then writes the meta page O_DSYNC",
        "W3" => "reopened env (page cache warm), one read txn, cursor First/Next over all (zero-copy spans into the map)",
        "W4" => "mdb_env_open + read txn + cursor Last (key = Head), page cache warm",
        "W6" => "reopened env, one read txn for all reads, mdb_get(random key) (zero-copy span into the map)",
        "W7" => "a thread per writer, each write a write txn of 1 entry (MDB_APPEND) with default sync (per commit: fdatasync of the data pages, then an O_DSYNC meta page write); one writer at a time (LMDB's writer lock)",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite)
    {
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        Span<byte> key = stackalloc byte[sizeof(ulong)];
        var watch = Stopwatch.StartNew();
        using var environment = OpenEnvironment(directory, durableEachWrite ? EnvironmentOpenFlags.None : EnvironmentOpenFlags.NoSync);
        using LightningDatabase database = OpenDatabase(environment);
        for (int written = 0; written < entries; written += batch)
        {
            int count = Math.Min(batch, entries - written);
            BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
            using LightningTransaction transaction = environment.BeginTransaction();
            for (int i = 0; i < count; i++)
            {
                Put(transaction, database, key, batchEntries[i]);
            }

            Check(transaction.Commit(), "commit");
        }

        if (!durableEachWrite)
        {
            environment.Flush(force: true); // the one sync of W1: mdb_env_sync(force)
        }

        return watch.Elapsed;
    }

    public TimeSpan Open(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        using var environment = OpenEnvironment(directory, EnvironmentOpenFlags.None);
        using LightningDatabase database = OpenDatabase(environment);
        ulong head;
        using (LightningTransaction transaction = environment.BeginTransaction(TransactionBeginFlags.ReadOnly))
        using (LightningCursor cursor = transaction.CreateCursor(database))
        {
            (MDBResultCode code, MDBValue key, _) = cursor.Last();
            Check(code, "cursor Last");
            head = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan());
        }

        TimeSpan elapsed = watch.Elapsed;
        if (head != (ulong)entries)
        {
            throw new InvalidOperationException($"W4: LMDB's last key is {head}, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan ReadAll(string directory, int entries)
    {
        using var environment = OpenEnvironment(directory, EnvironmentOpenFlags.None);
        using LightningDatabase database = OpenDatabase(environment);
        var watch = Stopwatch.StartNew();
        long read = 0;
        using (LightningTransaction transaction = environment.BeginTransaction(TransactionBeginFlags.ReadOnly))
        using (LightningCursor cursor = transaction.CreateCursor(database))
        {
            (MDBResultCode code, MDBValue key, MDBValue value) = cursor.First();
            while (code == MDBResultCode.Success)
            {
                read++;
                ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan());
                if (sequence != (ulong)read)
                {
                    throw new InvalidOperationException($"W3: LMDB's key {read} is {sequence}");
                }

                BenchPayload.Verify(value.AsSpan(), sequence);
                (code, key, value) = cursor.Next();
            }

            if (code != MDBResultCode.NotFound)
            {
                Check(code, "cursor Next");
            }
        }

        TimeSpan elapsed = watch.Elapsed;
        if (read != entries)
        {
            throw new InvalidOperationException($"W3 read {read} entries, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan PointReads(string directory, int entries, int reads, int seed)
    {
        using var environment = OpenEnvironment(directory, EnvironmentOpenFlags.None);
        using LightningDatabase database = OpenDatabase(environment);
        using LightningTransaction transaction = environment.BeginTransaction(TransactionBeginFlags.ReadOnly);
        Span<byte> key = stackalloc byte[sizeof(ulong)];
        var random = new Random(seed);
        for (int i = 0; i < 1000; i++)
        {
            ReadOne(transaction, database, key, (ulong)random.Next(1, entries + 1));
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ReadOne(transaction, database, key, (ulong)random.Next(1, entries + 1));
        }

        return watch.Elapsed;
    }

    private static void ReadOne(LightningTransaction transaction, LightningDatabase database, Span<byte> key, ulong sequence)
    {
        BinaryPrimitives.WriteUInt64BigEndian(key, sequence);
        (MDBResultCode code, _, MDBValue value) = transaction.Get(database, key);
        if (code != MDBResultCode.Success)
        {
            throw new InvalidOperationException($"W6: LMDB's get of {sequence} failed: {code}"); // formatted only here: the loop allocates nothing
        }

        BenchPayload.Verify(value.AsSpan(), sequence);
    }

    private static LightningEnvironment OpenEnvironment(string directory, EnvironmentOpenFlags flags)
    {
        var environment = new LightningEnvironment(directory, new EnvironmentConfiguration { MapSize = MapSize });
        try
        {
            environment.Open(flags);
            return environment;
        }
        catch
        {
            environment.Dispose();
            throw;
        }
    }

    /// <summary>The environment's unnamed database, created if missing; its handle outlives the transaction that opened it.</summary>
    private static LightningDatabase OpenDatabase(LightningEnvironment environment)
    {
        using LightningTransaction transaction = environment.BeginTransaction();
        LightningDatabase database = transaction.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create });
        Check(transaction.Commit(), "commit of the database's creation");
        return database;
    }

    /// <summary>Puts one entry under its big-endian sequence with MDB_APPEND (keys must arrive in order).</summary>
    private static void Put(LightningTransaction transaction, LightningDatabase database, Span<byte> key, Entry entry)
    {
        BinaryPrimitives.WriteUInt64BigEndian(key, entry.Sequence);
        Check(transaction.Put(database, key, entry.Payload.Span, PutOptions.AppendData), "put");
    }

    private static void Check(MDBResultCode code, string what)
    {
        if (code != MDBResultCode.Success)
        {
            throw new InvalidOperationException($"LMDB {what} failed: {code}");
        }
    }
}
