using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// Table.Set and Table.Get of 3 positions under one of 100 consumer names, with the decoded
// positions cached in memory (TableOptions.Cache) or only names -> file offsets. SyncWrites off;
// the table's own rewrite keeps its file small however many Sets run. Mean is per call.
[MemoryDiagnoser]
public class TableBenchmarks
{
    private const int Names = 100;

    private readonly ulong[] positions = [1, 3, 6];
    private string[] names = [];
    private string directory = string.Empty;
    private Db? db;
    private Table? table;
    private int turn;

    [Params(false, true)]
    public bool Cache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        names = Enumerable.Range(0, Names).Select(i => "consumer-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        directory = BenchDirectory.Create("table");
        db = Db.Open(directory);
        table = Table.Open(db, new TableOptions { Prefix = "bench", Cache = Cache });
        foreach (string name in names)
        {
            table.Set(name, positions);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        db?.Dispose();
        BenchDirectory.Delete(directory);
    }

    [Benchmark]
    public void Set()
    {
        turn = (turn + 1) % Names;
        positions[0]++;
        positions[1]++;
        positions[2]++;
        table!.Set(names[turn], positions);
    }

    [Benchmark]
    public int Get()
    {
        turn = (turn + 1) % Names;
        return table!.Get(names[turn]).Length;
    }
}
