using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>A file damaged throughout reports its first problems and one note that the rest were left out.</summary>
public sealed class ProblemCapTests : IDisposable
{
    private const int IndexHeaderSize = 64;
    private const int SlotSize = 16;
    private const int Batches = 60;
    private const int ZeroedSlots = 40;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_slot_range_zeroed_in_the_active_index_is_reported_capped_with_the_note_written_once()
    {
        using (var db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "capped" }))
        {
            for (ulong sequence = 1; sequence <= Batches; sequence++)
            {
                ledger.Write([new Entry(sequence, new[] { (byte)sequence })]);
            }
        }

        string index = Directory.GetFiles(Path.Combine(temp.Path, "ledger-capped"), "*.idx").Single();
        using (var file = new FileStream(index, FileMode.Open, FileAccess.Write))
        {
            file.Position = IndexHeaderSize;
            file.Write(new byte[ZeroedSlots * SlotSize]);
        }

        List<CheckProblem> problems = [.. DbInspector.Open(temp.Path).Check()];

        List<CheckProblem> inIndex = [.. problems.Where(p => p.FilePath == index)];
        Assert.Equal(ProblemList.MaxPerFile + 1, inIndex.Count);
        Assert.All(inIndex, p => Assert.Equal(ProblemSeverity.Error, p.Severity));
        string note = Assert.Single(inIndex, p => p.Message.Contains("left out", StringComparison.Ordinal)).Message;
        Assert.Equal(note.IndexOf("left out", StringComparison.Ordinal), note.LastIndexOf("left out", StringComparison.Ordinal));
    }
}
