using Quasar.Storage;
using Quasar.Storage.Tables;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// The public operations the fault sweep covers, each with and without SyncWrites where that
/// changes the calls made: Ledger.Write (plain and rolling a segment), Ledger.Delete (inside a
/// segment and unlinking segments), Table.Set (plain and triggering a rewrite), Table.Delete, the opens (fresh, existing, after a
/// crash, rebuilding an index), Db.Sync and Db.Dispose.
/// </summary>
internal static class FaultScenarios
{
    /// <summary>Small segments: each 60-entry batch the scenarios write is larger than one, so the next batch rolls.</summary>
    private const long SmallSegments = 4096;

    private const int Padding = 60;

    public static IReadOnlyList<FaultScenario> All { get; } =
    [
        .. Both(sync => new FaultScenario($"Ledger.Write{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareSome,
            s => s.OpenLedger.Write(TestEntries.Range(11, 3)), c => c.WithWrite(TestEntries.Range(11, 3)))),
        .. Both(sync => new FaultScenario($"Ledger.Write rolling a segment{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareFullSegment,
            s => s.OpenLedger.Write(TestEntries.Range(61, 5, Padding)), c => c.WithWrite(TestEntries.Range(61, 5, Padding)))
        {
            MustCall = (FileFault.Open, "*/00000000000000000061.seg"),
        }),
        .. Both(sync => new FaultScenario($"Ledger.Delete unlinking segments{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareThreeSegments,
            s => s.OpenLedger.Delete(120), c => c.WithDelete(120))
        {
            MustCall = (FileFault.Delete, "*/00000000000000000061.seg"),
        }),
        .. Both(sync => new FaultScenario($"Table.Set{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareSome,
            s => s.OpenTable.Set("a", 9, 10, 11), c => c.WithSet("a", 9, 10, 11))),
        .. Both(sync => new FaultScenario($"Table.Delete{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareSome,
            s => s.OpenTable.Delete("b"), c => c.WithoutName("b"))),
        .. Both(sync => new FaultScenario($"Ledger.Delete inside a segment{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareSome,
            s => s.OpenLedger.Delete(4), c => c.WithDelete(4))),
        .. Both(sync => new FaultScenario($"Table.Set triggering a rewrite{Suffix(sync)}", ScenarioKind.Call, Options(sync), PrepareTableNearRewrite,
            s => s.OpenTable.Set("big", BigPositions(0)), c => c.WithSet("big", BigPositions(0)))
        {
            MustCall = (FileFault.Rename, "*/table.log.tmp"),
            MayReturn = IsRewriteCall,
        }),
        new("Db.Open of a new database", ScenarioKind.Open, Options(false), null, s => s.Open(), c => c),
        new("Db.Open of existing stores", ScenarioKind.Open, Options(false), PrepareThreeSegmentsDeleted, s => s.Open(), c => c),
        new("Db.Open repairing torn tails", ScenarioKind.Open, Options(false), PrepareThreeSegmentsDeleted, s => s.Open(), c => c)
        {
            Damage = LeaveTornTails,
        },
        new("Db.Open removing an empty segment", ScenarioKind.Open, Options(false), PrepareThreeSegmentsDeleted, s => s.Open(), c => c)
        {
            Damage = LeaveEmptySegment,
            MustCall = (FileFault.Delete, "*/00000000000000001000.seg"),
        },
        new("Db.Open rebuilding a lost index", ScenarioKind.Open, Options(false), PrepareThreeSegmentsDeleted, s => s.Open(), c => c)
        {
            Damage = directory => File.Delete(Path.ChangeExtension(LastSegment(directory), ".idx")),
            MustCall = (FileFault.Map, "*/00000000000000000121.idx"),
        },
        .. Both(sync => new FaultScenario($"Db.Dispose{Suffix(sync)}", ScenarioKind.Dispose, Options(sync), PrepareFullSegment, s => s.Close(), c => c)
        {
            Dirty = RollAndSet,
            MustCall = sync ? null : (FileFault.SyncDirectory, "*/ledger-l"),
        }),
        new("Db.Sync", ScenarioKind.Call, Options(false), PrepareFullSegment, s => s.Db!.Sync(), c => c) { Dirty = RollAndSet, MustCall = (FileFault.SyncDirectory, "*/ledger-l") },
    ];

    public static FaultScenario Named(string name) => All.Single(s => s.Name == name);

    private static IEnumerable<FaultScenario> Both(Func<bool, FaultScenario> make) => [make(false), make(true)];

    private static string Suffix(bool sync) => sync ? " (SyncWrites)" : string.Empty;

    private static DbOptions Options(bool sync) => new() { SyncWrites = sync, SegmentSize = SmallSegments };

    private static void PrepareSome(FaultSession s)
    {
        s.OpenLedger.Write(TestEntries.Range(1, 5));
        s.OpenLedger.Write(TestEntries.Range(6, 5));
        s.OpenTable.Set("a", 1, 2);
        s.OpenTable.Set("b", 3);
    }

    /// <summary>One batch larger than a segment: the next write rolls.</summary>
    private static void PrepareFullSegment(FaultSession s)
    {
        s.OpenLedger.Write(TestEntries.Range(1, 60, Padding));
        s.OpenTable.Set("a", 1, 2);
    }

    private static void PrepareThreeSegments(FaultSession s)
    {
        PrepareFullSegment(s);
        s.OpenLedger.Write(TestEntries.Range(61, 60, Padding));
        s.OpenLedger.Write(TestEntries.Range(121, 5, Padding));
    }

    private static void PrepareThreeSegmentsDeleted(FaultSession s)
    {
        PrepareThreeSegments(s);
        s.OpenLedger.Delete(30);
        s.OpenTable.Set("b", 3, 4);
        s.OpenTable.Delete("a");
    }

    /// <summary>Fills the table with updates of one name until the next one passes the rewrite threshold (4 times dead, at least 1 MiB).</summary>
    private static void PrepareTableNearRewrite(FaultSession s)
    {
        int record = TableFormat.RecordLength(3, BigPositions(0).Length, TableFormat.KindSet);
        long updates = (TableLog.MinRewriteBytes - TableFormat.HeaderSize) / record;
        for (int i = 1; i <= updates; i++)
        {
            s.OpenTable.Set("big", BigPositions(i));
        }

        s.OpenTable.Set("a", 1, 2);
        s.OpenLedger.Write(TestEntries.Range(1, 3));
    }

    /// <summary>The calls of a rewrite, which runs after the set's record is stored: their failure is logged, and the set returns (FORMAT.md, "When an I/O call fails").</summary>
    private static bool IsRewriteCall(FileCall call) =>
        call.Path.EndsWith(".tmp", StringComparison.Ordinal) || call.Operation == FileFault.SyncDirectory;

    private static ulong[] BigPositions(int update) => [.. Enumerable.Range(0, 1000).Select(i => (ulong)(update * 1000 + i))];

    /// <summary>Unsynced work for a Sync or Dispose to make durable: a write that rolls (a new segment's name) and a set.</summary>
    private static void RollAndSet(FaultSession s)
    {
        s.OpenLedger.Write(TestEntries.Range(61, 5, Padding));
        s.OpenTable.Set("c", 5);
    }

    /// <summary>What a crash in the middle of a write leaves: half a batch after the last segment's data, half a record after the table's.</summary>
    private static void LeaveTornTails(string directory)
    {
        AppendBytes(LastSegment(directory), [.. Enumerable.Repeat((byte)0xA5, 30)]);
        AppendBytes(Path.Combine(directory, StoreNames.Table(FaultSession.TablePrefix), TableLog.FileName), [1, 2, 3, 4, 5, 6, 7]);
    }

    /// <summary>What a crash in the middle of a roll can leave: a new segment with a partial header.</summary>
    private static void LeaveEmptySegment(string directory) =>
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(LastSegment(directory))!, "00000000000000001000.seg"), new byte[10]);

    private static string LastSegment(string directory) =>
        Directory.GetFiles(Path.Combine(directory, StoreNames.Ledger(FaultSession.LedgerPrefix)), "*.seg").Max(StringComparer.Ordinal)!;

    private static void AppendBytes(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write(bytes);
    }
}
