using Microsoft.Data.Sqlite;

namespace Quasar.Bench.Macro.Engines;

// SQLite's W7 (the IConcurrentDurableWorkload capability): a thread and a connection per writer.
public sealed partial class SqliteEngine : IConcurrentDurableWorkload
{
    /// <summary>How long a writer waits for the write lock (SQLite's busy handler) before failing.</summary>
    private const int BusyTimeoutMs = 60_000;

    /// <summary>
    /// W7: one thread per writer, each with its own connection (WAL, synchronous=FULL) committing
    /// one transaction (BEGIN IMMEDIATE, the default of Microsoft.Data.Sqlite) of one row per
    /// write. SQLite assigns the sequence (the INTEGER PRIMARY KEY of a row inserted without
    /// one); writers queue for its one write lock through the busy handler.
    /// </summary>
    public ConcurrentRun ConcurrentDurable(string directory, int entries, int writers)
    {
        string connectionString = ConnectionString(directory);
        using (var setup = new SqliteConnection(connectionString))
        {
            setup.Open();
            Execute(setup, "PRAGMA journal_mode=WAL"); // persistent: every later connection is in WAL mode
            Execute(setup, "CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, payload BLOB)");
        }

        var connections = new SqliteConnection[writers];
        var inserts = new SqliteCommand[writers];
        byte[][] payloads = ConcurrentWriters.PayloadBuffers(writers);
        try
        {
            for (int i = 0; i < writers; i++)
            {
                connections[i] = new SqliteConnection(connectionString);
                connections[i].Open();
                Execute(connections[i], "PRAGMA synchronous=FULL");
                Execute(connections[i], $"PRAGMA busy_timeout={BusyTimeoutMs}");
                inserts[i] = connections[i].CreateCommand();
                inserts[i].CommandText = "INSERT INTO entries (payload) VALUES ($payload)";
                inserts[i].Parameters.Add("$payload", SqliteType.Blob).Value = payloads[i];
            }

            ConcurrentRun run = ConcurrentWriters.OnThreads(entries, writers, (writer, ticket) =>
            {
                BenchPayload.Write(payloads[writer], (ulong)ticket);
                using SqliteTransaction transaction = connections[writer].BeginTransaction();
                inserts[writer].Transaction = transaction;
                inserts[writer].ExecuteNonQuery();
                transaction.Commit();
            });
            VerifyConcurrent(connections[0], entries);
            return run;
        }
        finally
        {
            foreach (SqliteCommand? insert in inserts)
            {
                insert?.Dispose();
            }

            foreach (SqliteConnection? connection in connections)
            {
                connection?.Dispose();
            }
        }
    }

    private static void VerifyConcurrent(SqliteConnection connection, int entries)
    {
        var tickets = new WrittenTickets(entries);
        var payload = new byte[BenchPayload.Length];
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT seq, payload FROM entries ORDER BY seq";
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            long length = reader.GetBytes(1, 0, payload, 0, payload.Length);
            tickets.Add((ulong)reader.GetInt64(0), payload.AsSpan(0, (int)length));
        }

        tickets.ThrowIfIncomplete();
    }
}
