using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>
/// The checker judges a failed table record as table recovery does (storage review F2): zeros
/// after the last record (a power loss left the file longer than its data) are a torn tail, a
/// warning; a failed record with a valid record after it is damage, an error.
/// </summary>
public sealed class TableZeroTailTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public TableZeroTailTests() => InspectedStore.Build(temp.Path);

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_zero_filled_table_tail_is_a_warning_that_recovery_truncates_it()
    {
        string table = InspectedStore.TableFile(temp.Path);
        long length = new FileInfo(table).Length;
        using (var file = new FileStream(table, FileMode.Append))
        {
            file.Write(new byte[4096]);
        }

        CheckProblem torn = Assert.Single(InspectedStore.Check(temp.Path));

        Assert.Equal((ProblemSeverity.Warning, table, length), (torn.Severity, torn.FilePath, torn.Offset));
        Assert.Contains($"recovery truncates the file to {length} bytes", torn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_filled_table_tail_checks_clean_once_the_table_was_opened()
    {
        using (var file = new FileStream(InspectedStore.TableFile(temp.Path), FileMode.Append))
        {
            file.Write(new byte[4096]);
        }

        using (var db = Db.Open(temp.Path))
        using (var table = Table.Open(db, new TableOptions { Prefix = InspectedStore.Table }))
        {
        }

        Assert.Empty(InspectedStore.Check(temp.Path));
    }
}
