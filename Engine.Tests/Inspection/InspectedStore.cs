using System.Globalization;
using System.Text;
using Quasar.Storage;

namespace Quasar.Tests.Inspection;

/// <summary>
/// A database directory built for the checker tests: a ledger <c>events</c> of
/// <see cref="Batches"/> batches of 1..4 entries over small segments, with a delete, and a table
/// <c>positions</c> with a few names set, reset and deleted; closed cleanly.
/// </summary>
internal static class InspectedStore
{
    public const string Ledger = "events";
    public const string Table = "positions";
    public const long SegmentSize = 1024;
    public const int Batches = 60;
    public const ulong DeletedUpTo = 30;

    public static string LedgerDirectory(string db) => Path.Combine(db, "ledger-" + Ledger);

    public static string TableFile(string db) => Path.Combine(db, "table-" + Table, "table.log");

    /// <summary>The segment files in log order.</summary>
    public static string[] Segments(string db) => [.. Directory.GetFiles(LedgerDirectory(db), "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>Entries whose payload names the sequence, 20..40 bytes long.</summary>
    public static Entry Entry(ulong sequence) =>
        new(sequence, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"entry {sequence} ") + new string('x', (int)(sequence % 21))));

    /// <summary>The sequences of each batch written: 1..4 entries, with a gap before every third batch.</summary>
    public static List<ulong[]> BatchSequences()
    {
        var batches = new List<ulong[]>();
        ulong next = 1;
        for (int i = 0; i < Batches; i++)
        {
            int count = 1 + (i % 4);
            batches.Add([.. Enumerable.Range(0, count).Select(k => next + (ulong)k)]);
            next += (ulong)count + (ulong)(i % 3 == 0 ? 1 : 0);
        }

        return batches;
    }

    /// <summary>Builds the store in <paramref name="db"/>.</summary>
    public static void Build(string db)
    {
        using var database = Db.Open(db, new DbOptions { SegmentSize = SegmentSize });
        Write(database);
    }

    /// <summary>Writes the ledger and table contents into an open <paramref name="database"/>.</summary>
    public static void Write(Db database)
    {
        using var ledger = Quasar.Ledger.Open(database, new LedgerOptions { Prefix = Ledger });
        using var table = Quasar.Table.Open(database, new TableOptions { Prefix = Table });
        foreach (ulong[] batch in BatchSequences())
        {
            ledger.Write([.. batch.Select(Entry)]);
        }

        ledger.Delete(DeletedUpTo);
        table.Set("alpha", 1, 2, 3);
        table.Set("beta", 40);
        table.Set("alpha", 7);
        table.Set("gone", 5);
        table.Delete("gone");
    }

    /// <summary>The inspector's view of the store with <paramref name="prefix"/>.</summary>
    public static StoreInfo Store(DbInspector inspector, string prefix) => inspector.Stores.Single(s => s.Prefix == prefix);

    /// <summary>Runs the checker to the end.</summary>
    public static List<CheckProblem> Check(string db, int bufferSize = DbInspector.DefaultBufferSize) =>
        [.. DbInspector.Open(db, bufferSize).Check()];

    /// <summary>XORs one byte of a file.</summary>
    public static void Flip(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x5A));
    }
}
