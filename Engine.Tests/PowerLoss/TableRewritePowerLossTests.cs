using Quasar.Storage.Tables;
using Quasar.Tests.Recovery;
using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.Tests.PowerLoss;

/// <summary>
/// A table rewrite cut by a power loss at each of its changes of the disk in turn: the Table model
/// never reaches a rewrite (it starts at <see cref="TableLog.MinRewriteBytes"/>), so this drives a
/// table just below the threshold and makes the Set that crosses it the call the power cuts.
/// After each cut the table must open with every acknowledged Set (SyncWrites), the Set in flight
/// must be all there or not at all, and the consistency checker must find no error.
/// </summary>
public sealed class TableRewritePowerLossTests : IDisposable
{
    private const string Prefix = "t";
    private const int OtherNames = 10;

    private readonly TempDirectory temp = new();
    private readonly string template;

    public TableRewritePowerLossTests()
    {
        template = Path.Combine(temp.Path, "template");
        WriteTemplate(template);
    }

    public static TheoryData<Survivors, int, bool> Modes()
    {
        var modes = new TheoryData<Survivors, int, bool>();
        foreach (bool zeroFilledTails in new[] { false, true })
        {
            modes.Add(Survivors.None, 0, zeroFilledTails);
            modes.Add(Survivors.All, 0, zeroFilledTails);
            foreach (int seed in new[] { 1, 2, 3 })
            {
                modes.Add(Survivors.Random, seed, zeroFilledTails);
            }
        }

        return modes;
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_rewrite_cut_at_any_change_keeps_every_acknowledged_set_and_the_one_in_flight_whole_or_not_at_all(Survivors keep, int seed, bool zeroFilledTails)
    {
        var mode = new PowerLossMode(keep, seed, zeroFilledTails);
        int cut = 0;
        while (!CutsInside(cut, mode))
        {
            cut++;
        }

        // Append, its sync, then the rewrite's create, write, sync, rename and directory sync.
        Assert.True(cut >= 6, $"the Set that crosses the threshold made only {cut} changes of the disk: it did not rewrite");
    }

    /// <summary>
    /// Runs the crossing Set on a copy of the template with the power set to go at its
    /// <paramref name="cut"/>-th change, then checks the recovered table. False when the Set
    /// made fewer changes (the power then goes right after it).
    /// </summary>
    private bool CutsInside(int cut, PowerLossMode mode)
    {
        string where = $"power cut at change {cut} ({mode})";
        string directory = Path.Combine(temp.Path, $"cut-{cut}");
        LedgerFiles.CopyDirectory(template, directory);
        var fs = new PowerLossFileSystem();
        Db db = Open(directory, fs);
        Table table = Table.Open(db, new TableOptions { Prefix = Prefix });

        fs.CutAt(cut, mode);
        Exception? failed = Record.Exception(() => table.Set("big", Positions(5000)));
        bool completed = fs.Disarm();
        if (completed)
        {
            fs.PowerLoss(mode);
        }

        Assert.True(failed is null or IOException, $"{where}: the Set failed with {failed}");
        Abandon(db);
        fs.PowerOn();

        using (Db reopened = Open(directory, fs))
        using (Table recovered = Table.Open(reopened, new TableOptions { Prefix = Prefix }))
        {
            for (int i = 0; i < OtherNames; i++)
            {
                Assert.True(recovered.Get(Name(i)).SequenceEqual(Small(i)), $"{where}: {Name(i)} holds [{string.Join(",", recovered.Get(Name(i)))}]");
            }

            ulong[] big = recovered.Get("big");
            bool acknowledged = failed is null;
            bool allowed = big.SequenceEqual(Positions(5000)) || (!acknowledged && big.SequenceEqual(Positions(0)));
            Assert.True(allowed, $"{where}: big holds {big.Length} positions from {big.FirstOrDefault()} after a Set that {(acknowledged ? "returned" : "failed")}");
            Assert.Equal(OtherNames + 1, recovered.All().Count);
        }

        StoreCheck.AssertNoErrors(directory, where);
        if (completed)
        {
            long size = new FileInfo(Path.Combine(directory, "table-" + Prefix, TableLog.FileName)).Length;
            Assert.True(size < TableLog.MinRewriteBytes, $"{where}: the completed Set left a {size}-byte file: it did not rewrite");
        }

        Directory.Delete(directory, recursive: true);
        return completed;
    }

    /// <summary>A table of <see cref="OtherNames"/> small names and a 1000-position "big" set again and again, up to just below the rewrite threshold.</summary>
    private static void WriteTemplate(string directory)
    {
        using Db db = Db.Open(directory, new DbOptions { SyncWrites = false });
        using Table table = Table.Open(db, new TableOptions { Prefix = Prefix });
        for (int i = 0; i < OtherNames; i++)
        {
            table.Set(Name(i), Small(i));
        }

        ulong[] big = Positions(0);
        int record = TableFormat.RecordLength(3, big.Length, TableFormat.KindSet);
        long room = TableLog.MinRewriteBytes - new FileInfo(Path.Combine(directory, "table-" + Prefix, TableLog.FileName)).Length;
        for (long i = 0; i < (room - 1) / record; i++)
        {
            table.Set("big", big);
        }
    }

    private static Db Open(string directory, PowerLossFileSystem fs) =>
        Db.Open(directory, new DbOptions { SyncWrites = true, FileSystem = fs });

    /// <summary>The Db the power loss left behind cannot close cleanly: its device is gone.</summary>
    private static void Abandon(Db db)
    {
        try
        {
            db.Dispose();
        }
        catch (Exception error) when (error is IOException or AggregateException)
        {
        }
    }

    private static string Name(int i) => $"name-{i}";

    private static ulong[] Small(int i) => [(ulong)i, (ulong)i + 7];

    private static ulong[] Positions(int first) => [.. Enumerable.Range(first, 1000).Select(i => (ulong)i)];
}
