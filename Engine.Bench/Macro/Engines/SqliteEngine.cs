using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// SQLite through <c>Microsoft.Data.Sqlite</c> (native e_sqlite3 from SQLitePCLRaw): table
/// <c>entries (seq INTEGER PRIMARY KEY, payload BLOB)</c>, WAL, one transaction per batch,
/// prepared commands, no connection pooling (so every open is a real open).
/// </summary>
public sealed partial class SqliteEngine : IEngineWorkloads
{
    public string Name => "sqlite";

    public bool Supports(string workload) => workload is "W1" or "W2" or "W3" or "W4" or "W6";

    public string Mode(string workload) => workload switch
    {
        "W1" => "WAL, synchronous=OFF, one transaction per 1000; one wal_checkpoint(TRUNCATE) with synchronous=FULL at the end; no compression",
        "W2" => "WAL, synchronous=FULL: fsync of the WAL per transaction of 10",
        "W3" => "new connection (page cache warm), SELECT seq, payload WHERE seq >= ? ORDER BY seq LIMIT 1000",
        "W4" => "open connection + SELECT max(seq), page cache warm",
        "W6" => "new connection, prepared SELECT payload WHERE seq = ?",
        "W7" => "WAL, synchronous=FULL; a thread and connection per writer, each write a BEGIN IMMEDIATE transaction of 1 row (seq assigned by SQLite); writers wait on the write lock via busy_timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    private static string ConnectionString(string directory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(directory, "bench.db"),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
    }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite)
    {
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        var payload = new byte[BenchPayload.Length]; // the parameter's value: a blob parameter takes a whole array
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(ConnectionString(directory));
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL");
        Execute(connection, durableEachWrite ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
        Execute(connection, "CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, payload BLOB)");
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO entries (seq, payload) VALUES ($seq, $payload)";
        SqliteParameter sequenceParameter = insert.Parameters.Add("$seq", SqliteType.Integer);
        SqliteParameter payloadParameter = insert.Parameters.Add("$payload", SqliteType.Blob);
        payloadParameter.Value = payload;
        for (int written = 0; written < entries; written += batch)
        {
            int count = Math.Min(batch, entries - written);
            BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
            using SqliteTransaction transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (int i = 0; i < count; i++)
            {
                batchEntries[i].Payload.Span.CopyTo(payload);
                sequenceParameter.Value = (long)batchEntries[i].Sequence;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        if (!durableEachWrite)
        {
            // The one sync at the end: a checkpoint with synchronous=FULL syncs the WAL, copies it
            // into the database file and syncs that.
            Execute(connection, "PRAGMA synchronous=FULL");
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return watch.Elapsed;
    }

    public TimeSpan Open(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(ConnectionString(directory));
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT max(seq) FROM entries";
        object? head = command.ExecuteScalar();
        TimeSpan elapsed = watch.Elapsed;
        if (head is not long value || value != entries)
        {
            throw new InvalidOperationException($"W4: SQLite's max(seq) is {head}, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan ReadAll(string directory, int entries)
    {
        using var connection = new SqliteConnection(ConnectionString(directory));
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT seq, payload FROM entries WHERE seq >= $seq ORDER BY seq LIMIT 1000";
        SqliteParameter from = select.Parameters.Add("$seq", SqliteType.Integer);
        var payload = new byte[BenchPayload.Length];
        var watch = Stopwatch.StartNew();
        long read = 0;
        long next = 1;
        while (true)
        {
            from.Value = next;
            int count = 0;
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    long sequence = reader.GetInt64(0);
                    long length = reader.GetBytes(1, 0, payload, 0, payload.Length);
                    BenchPayload.Verify(payload.AsSpan(0, (int)length), (ulong)(read + 1));
                    read++;
                    count++;
                    next = sequence + 1;
                }
            }

            if (count == 0)
            {
                break;
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
        using var connection = new SqliteConnection(ConnectionString(directory));
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT payload FROM entries WHERE seq = $seq";
        SqliteParameter key = select.Parameters.Add("$seq", SqliteType.Integer);
        var payload = new byte[BenchPayload.Length];
        var random = new Random(seed);
        for (int i = 0; i < 1000; i++)
        {
            ReadOne(select, key, payload, random.Next(1, entries + 1));
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ReadOne(select, key, payload, random.Next(1, entries + 1));
        }

        return watch.Elapsed;
    }

    private static void ReadOne(SqliteCommand select, SqliteParameter key, byte[] payload, long sequence)
    {
        key.Value = sequence;
        using SqliteDataReader reader = select.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"W6: SQLite found no row {sequence}");
        }

        long length = reader.GetBytes(0, 0, payload, 0, payload.Length);
        BenchPayload.Verify(payload.AsSpan(0, (int)length), (ulong)sequence);
    }
}
