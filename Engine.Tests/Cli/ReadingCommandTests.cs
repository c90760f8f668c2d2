using System.Text.Json;
using Quasar.Tests.Inspection;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary><c>quasar stat</c> and <c>quasar dump</c> beside a live process and on a damaged directory.</summary>
[Collection(ToolCollection.Name)]
public sealed class ReadingCommandTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Stat_reads_a_directory_a_live_db_holds_open()
    {
        using var db = Db.Open(temp.Path);
        using var queue = Queue.Open(db, new QueueOptions { Prefix = "orders" });
        queue.Ledger.Write([.. Enumerable.Range(1, 10).Select(i => new Entry((ulong)i, "payload"u8.ToArray()))]);
        queue.Table.Set("billing", 4);

        using CliRun run = CliRun.Complete("stat", temp.Path, "--json");

        Assert.True(run.ExitCode == 0, run.Describe());
        using JsonDocument stat = JsonDocument.Parse(run.Stdout);
        Assert.Equal(10, stat.RootElement.GetProperty("ledgers")[0].GetProperty("entries").GetInt64());
        Assert.Equal(6, stat.RootElement.GetProperty("consumers")[0].GetProperty("lag").GetInt64());
    }

    [Fact]
    public void Dump_entries_through_a_damaged_segment_exits_1_naming_the_file()
    {
        InspectedStore.Build(temp.Path);
        string sealedSegment = InspectedStore.Segments(temp.Path)[1];
        InspectedStore.Flip(sealedSegment, 32 + 40 + 16 + 2);

        using CliRun run = CliRun.Complete("dump", temp.Path, "--entries");

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains("The directory is damaged: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(sealedSegment), run.Stderr, StringComparison.Ordinal);
    }
}
