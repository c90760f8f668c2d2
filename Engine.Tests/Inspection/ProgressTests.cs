using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>The check reports how far it has got, in bytes of segment and table files.</summary>
public sealed class ProgressTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Progress_rises_to_the_total_bytes_of_segment_and_table_files()
    {
        InspectedStore.Build(temp.Path);
        long files = Directory.GetFiles(temp.Path, "*.seg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            + new FileInfo(InspectedStore.TableFile(temp.Path)).Length;
        var reports = new Recorder();

        Assert.Empty(DbInspector.Open(temp.Path).Check(reports));

        Assert.True(reports.Seen.Count > 10, $"only {reports.Seen.Count} reports");
        Assert.All(reports.Seen, r => Assert.Equal(files, r.TotalBytes));
        Assert.Equal(reports.Seen.Select(r => r.BytesChecked).Order(), reports.Seen.Select(r => r.BytesChecked));
        Assert.Equal(files, reports.Seen[^1].BytesChecked);
    }

    [Fact]
    public void The_last_progress_report_counts_every_segment_and_entry()
    {
        InspectedStore.Build(temp.Path);
        DbInspector inspector = DbInspector.Open(temp.Path);
        List<SegmentInfo> segments = [.. inspector.ReadSegments(InspectedStore.Store(inspector, InspectedStore.Ledger))];
        var reports = new Recorder();

        Assert.Empty(inspector.Check(reports));

        Assert.Equal(segments.Count, reports.Seen[^1].SegmentsChecked);
        Assert.Equal(segments.Sum(s => s.EntryCount), reports.Seen[^1].EntriesChecked);
    }

    /// <summary>Records every report on the checking thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class Recorder : IProgress<CheckProgress>
    {
        public List<CheckProgress> Seen { get; } = [];

        public void Report(CheckProgress value) => Seen.Add(value);
    }
}
