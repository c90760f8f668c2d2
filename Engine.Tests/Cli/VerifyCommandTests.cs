using System.Text.Json;
using Quasar.Tests.Inspection;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary>
/// <c>quasar verify</c> as an operator runs it: one flipped byte in each kind of file, and a
/// truncated index, exit 1 with the file (relative to DIR) and the offset of the failing
/// structure; a directory a live process holds open exits 0.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed class VerifyCommandTests : IDisposable
{
    private const int SegmentHeaderSize = 32;
    private const int BatchHeaderSize = 40;
    private const int IndexHeaderSize = 64;
    private const int SlotSize = 16;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>The second segment of <see cref="InspectedStore"/>: sealed, with a segment before and after it.</summary>
    private string Sealed => InspectedStore.Segments(temp.Path)[1];

    [Fact]
    public void A_clean_directory_exits_0_with_a_summary_line()
    {
        InspectedStore.Build(temp.Path);

        using CliRun run = CliRun.Complete("verify", temp.Path);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.StartsWith("ok: 2 store(s), ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 error(s), 0 warning(s) in ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_byte_in_a_segment_exits_1_naming_the_segment_and_the_batch_offset()
    {
        InspectedStore.Build(temp.Path);
        InspectedStore.Flip(Sealed, SegmentHeaderSize + 4);

        AssertError(Sealed, SegmentHeaderSize);
    }

    [Fact]
    public void A_flipped_byte_in_an_index_exits_1_naming_the_index_and_the_slot_offset()
    {
        InspectedStore.Build(temp.Path);
        string index = Path.ChangeExtension(Sealed, ".idx");
        InspectedStore.Flip(index, IndexHeaderSize + SlotSize + 3);

        AssertError(index, IndexHeaderSize + SlotSize);
    }

    [Fact]
    public void A_flipped_byte_in_the_tail_record_exits_1_naming_the_tail_file()
    {
        InspectedStore.Build(temp.Path);
        string tail = Path.Combine(InspectedStore.LedgerDirectory(temp.Path), "tail");
        InspectedStore.Flip(tail, 17);

        AssertError(tail, 0);
    }

    [Fact]
    public void A_flipped_byte_in_a_table_record_exits_1_naming_the_table_file_and_the_record()
    {
        InspectedStore.Build(temp.Path);
        string table = InspectedStore.TableFile(temp.Path);
        InspectedStore.Flip(table, SegmentHeaderSize + 8 + 3);

        AssertError(table, SegmentHeaderSize);
    }

    [Fact]
    public void A_truncated_index_exits_1_naming_the_index_and_where_it_ends()
    {
        InspectedStore.Build(temp.Path);
        string index = Path.ChangeExtension(Sealed, ".idx");
        using (var file = new FileStream(index, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(IndexHeaderSize + SlotSize);
        }

        AssertError(index, IndexHeaderSize + SlotSize);
    }

    [Fact]
    public void Json_lists_each_problem_with_file_and_offset_and_counts_them()
    {
        InspectedStore.Build(temp.Path);
        InspectedStore.Flip(Sealed, SegmentHeaderSize + 4);

        using CliRun run = CliRun.Complete("verify", temp.Path, "--json");

        Assert.True(run.ExitCode == 1, run.Describe());
        using JsonDocument document = JsonDocument.Parse(run.Stdout);
        JsonElement problem = document.RootElement.GetProperty("problems").EnumerateArray().First(p => p.GetProperty("severity").GetString() == "error");
        Assert.Equal(Relative(Sealed), problem.GetProperty("file").GetString());
        Assert.Equal(SegmentHeaderSize, problem.GetProperty("offset").GetInt64());
        Assert.True(document.RootElement.GetProperty("summary").GetProperty("errors").GetInt32() >= 1);
    }

    [Fact]
    public void A_directory_a_live_db_holds_open_exits_0()
    {
        using var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize });
        InspectedStore.Write(db);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "live" });
        ledger.Write(InspectedStore.Entry(1), InspectedStore.Entry(2));

        using CliRun run = CliRun.Complete("verify", temp.Path);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains(" 0 error(s)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_a_usage_error_that_says_so()
    {
        using CliRun run = CliRun.Complete("verify", Path.Combine(temp.Path, "no-such-db"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs verify and asserts exit 1 and an error line naming <paramref name="path"/> (relative to DIR) at <paramref name="offset"/>.</summary>
    private void AssertError(string path, long offset)
    {
        using CliRun run = CliRun.Complete("verify", temp.Path);

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains(run.Stdout.Split('\n'), line => line.StartsWith($"error   {Relative(path)} at offset {offset}: ", StringComparison.Ordinal));
        Assert.StartsWith("DAMAGED: ", run.Stdout.Split('\n')[^1], StringComparison.Ordinal);
    }

    private string Relative(string path) => Path.GetRelativePath(temp.Path, path).Replace(Path.DirectorySeparatorChar, '/');
}
