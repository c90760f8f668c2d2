using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary>
/// <c>quasar positions</c>: listing a queue consumer's stored position, and <c>positions set</c>
/// moving it offline (a consumer resumes after it), refused while a process holds the directory.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed class PositionsCommandTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public PositionsCommandTests()
    {
        using var db = Db.Open(temp.Path);
        using var queue = Queue.Open(db, new QueueOptions { Prefix = "orders" });
        queue.Ledger.Write([.. Enumerable.Range(1, 10).Select(i => new Entry((ulong)i, "payload"u8.ToArray()))]);
        queue.Table.Set("billing", 3);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Positions_lists_a_consumers_stored_position_and_lag()
    {
        using CliRun run = CliRun.Complete("positions", temp.Path);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("  billing: 3 (1970-01-01T00:00:00Z), lag 7", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_moves_a_consumers_stored_position()
    {
        using CliRun run = CliRun.Complete("positions", "set", temp.Path, "--table", "orders:t", "--name", "billing", "--to", "8");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal([8UL], StoredPositions("billing"));
    }

    [Fact]
    public void Set_refuses_with_exit_1_while_another_process_holds_the_directory()
    {
        using (var db = Db.Open(temp.Path))
        {
            using CliRun run = CliRun.Complete("positions", "set", temp.Path, "--table", "orders:t", "--name", "billing", "--to", "8");

            Assert.True(run.ExitCode == 1, run.Describe());
            Assert.Contains("held open by another process", run.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal([3UL], StoredPositions("billing"));
    }

    [Fact]
    public void Set_on_a_table_that_does_not_exist_is_a_usage_error()
    {
        using CliRun run = CliRun.Complete("positions", "set", temp.Path, "--table", "nope:t", "--name", "billing", "--to", "8");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no table 'nope:t'", run.Stderr, StringComparison.Ordinal);
    }

    private ulong[] StoredPositions(string name)
    {
        using var db = Db.Open(temp.Path);
        using var table = Table.Open(db, new TableOptions { Prefix = "orders:t" });
        return table.Get(name);
    }
}
