using Quasar.Storage.Tables;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// The rule for a table write whose record is stored but whose compaction then fails: the write
/// succeeds (its record is in the file, durable under SyncWrites), the rewrite failure is logged,
/// and the next write that finds the file still mostly dead tries again. A rewrite is upkeep, not
/// part of the call: throwing would report a stored record as failed.
/// </summary>
public sealed class TableRewriteFailureTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();
    private readonly TestLogger logger = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(FileFault.Open, "*/table.log.tmp")]
    [InlineData(FileFault.Rename, "*/table.log.tmp")]
    [InlineData(FileFault.SyncDirectory, "*/table-t")]
    public void A_set_whose_rewrite_fails_succeeds_and_a_later_set_rewrites(FileFault operation, string path)
    {
        using (Db db = Db.Open(temp.Path, new DbOptions { SyncWrites = true, FileSystem = files, Logger = logger }))
        using (var table = Table.Open(db, new TableOptions { Prefix = "t" }))
        {
            FillToJustBelowTheRewrite(table);
            files.Inject(new FaultRule(operation, path, occurrence: 1));

            table.Set("big", Positions(5000)); // the file passes the rewrite threshold

            Assert.Equal(Positions(5000), table.Get("big"));
            Assert.Contains(logger.Messages, m => m.Message.Contains("rewrite", StringComparison.OrdinalIgnoreCase));
            table.Set("big", 10);
            Assert.True(new FileInfo(Path.Combine(temp.Path, "table-t", TableLog.FileName)).Length < TableLog.MinRewriteBytes, "the next set rewrote the file");
        }

        StoreCheck.AssertClean(temp.Path);
        using (Db db = Db.Open(temp.Path))
        using (var table = Table.Open(db, new TableOptions { Prefix = "t" }))
        {
            Assert.Equal([10UL], table.Get("big"));
        }
    }

    private static ulong[] Positions(int first) => [.. Enumerable.Range(first, 1000).Select(i => (ulong)i)];

    private static void FillToJustBelowTheRewrite(Table table)
    {
        ulong[] positions = Positions(0);
        int record = TableFormat.RecordLength(3, positions.Length, TableFormat.KindSet);
        for (long i = 0; i < (TableLog.MinRewriteBytes - TableFormat.HeaderSize) / record; i++)
        {
            table.Set("big", positions);
        }
    }
}
