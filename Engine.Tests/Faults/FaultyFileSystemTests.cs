using Quasar.Storage.Files;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>The fault file system: rules are operation x path pattern x n-th call, and every call can be recorded.</summary>
public sealed class FaultyFileSystemTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_rule_with_an_occurrence_fails_only_that_matching_call()
    {
        using IStorageFile file = files.Open(Path.Combine(temp.Path, "a.seg"), FileMode.Create, writable: true);
        files.Inject(new FaultRule(FileFault.SyncData, "*.seg", occurrence: 2));

        file.SyncData();
        Assert.Throws<IOException>(file.SyncData);
        file.SyncData();
    }

    [Fact]
    public void A_rule_leaves_calls_on_paths_that_do_not_match_its_pattern_alone()
    {
        using IStorageFile table = files.Open(Path.Combine(temp.Path, "table.log"), FileMode.Create, writable: true);
        using IStorageFile segment = files.Open(Path.Combine(temp.Path, "a.seg"), FileMode.Create, writable: true);
        files.Inject(new FaultRule(FileFault.Write, "*.seg"));

        table.Write([1, 2], 0);
        Assert.Throws<IOException>(() => segment.Write([1, 2], 0));
    }

    [Fact]
    public void A_partial_write_leaves_the_first_half_of_its_bytes()
    {
        using IStorageFile file = files.Open(Path.Combine(temp.Path, "a.seg"), FileMode.Create, writable: true);
        files.Inject(new FaultRule(FileFault.Write, effect: FaultEffect.Partial));

        Assert.Throws<IOException>(() => file.Write([1, 2, 3, 4], 0));

        Assert.Equal(2, file.Length);
    }

    [Fact]
    public void The_recording_numbers_every_call_and_each_calls_occurrence_on_its_path()
    {
        string path = Path.Combine(temp.Path, "a.seg");
        files.StartRecording();
        using (IStorageFile file = files.Open(path, FileMode.Create, writable: true))
        {
            file.Write([1], 0);
            file.Write([2], 1);
            file.SyncData();
        }

        files.Rename(path, path + ".moved");
        files.SyncDirectory(temp.Path);

        Assert.Equal(
            [
                new FileCall(FileFault.Open, path, 1, 1),
                new FileCall(FileFault.Write, path, 2, 1),
                new FileCall(FileFault.Write, path, 3, 2),
                new FileCall(FileFault.SyncData, path, 4, 1),
                new FileCall(FileFault.Rename, path, 5, 1),
                new FileCall(FileFault.SyncDirectory, temp.Path, 6, 1),
            ],
            files.StopRecording());
    }

    [Fact]
    public void The_rule_made_from_a_recorded_call_fails_that_call_when_the_work_runs_again()
    {
        string path = Path.Combine(temp.Path, "a.seg");
        files.StartRecording();
        Work(path);
        FileCall second = files.StopRecording().Last(c => c.Operation == FileFault.Write);

        files.Inject(FaultRule.Exactly(second));

        IOException error = Assert.Throws<IOException>(() => Work(path));
        Assert.Contains("Write", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, new FileInfo(path).Length);
    }

    [Fact]
    public void A_mapped_regions_sync_can_fail()
    {
        using IStorageFile file = files.Open(Path.Combine(temp.Path, "a.idx"), FileMode.Create, writable: true);
        using IMappedRegion region = file.Map(4096, writable: true);
        files.Inject(new FaultRule(FileFault.MappedSync, "*.idx", occurrence: 1));

        Assert.Throws<IOException>(region.Sync);
        region.Sync();
    }

    [Fact]
    public void Refusing_read_only_syncs_fails_a_sync_through_a_read_only_handle_only()
    {
        string path = Path.Combine(temp.Path, "a.seg");
        Work(path);
        files.RefuseReadOnlySync = true;

        using IStorageFile readOnly = files.Open(path, FileMode.Open, writable: false);
        using IStorageFile writable = files.Open(path, FileMode.Open, writable: true);

        Assert.Throws<UnauthorizedAccessException>(readOnly.SyncData);
        writable.SyncData();
    }

    private void Work(string path)
    {
        using IStorageFile file = files.Open(path, FileMode.Create, writable: true);
        file.Write([1], 0);
        file.Write([2], 1);
    }
}
