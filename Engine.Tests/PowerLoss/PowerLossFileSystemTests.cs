using Quasar.Storage.Files;
using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.Tests.PowerLoss;

/// <summary>
/// What the power-loss file system keeps and loses when the power goes: synced pages and synced
/// directory entries survive; unsynced ones survive as the mode says; files opened before the loss
/// are dead.
/// </summary>
public sealed class PowerLossFileSystemTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerLossFileSystem fs = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_unsynced_write_is_lost_when_nothing_unsynced_is_kept()
    {
        using IStorageFile file = CreateDurable("a.dat", [1, 2, 3]);
        file.Write(new byte[] { 9, 9 }, 1);
        file.Write(new byte[] { 7 }, 3);

        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal([1, 2, 3], Content("a.dat"));
    }

    [Fact]
    public void An_unsynced_write_is_kept_when_everything_unsynced_is_kept()
    {
        using IStorageFile file = CreateDurable("a.dat", [1, 2, 3]);
        file.Write(new byte[] { 9, 9 }, 1);
        file.Write(new byte[] { 7 }, 3);

        LoseAndRestore(PowerLossMode.KeepAll);

        Assert.Equal([1, 9, 9, 7], Content("a.dat"));
    }

    [Fact]
    public void A_page_overwritten_after_its_sync_falls_back_to_the_synced_version()
    {
        using IStorageFile file = CreateDurable("a.dat", Bytes(10_000, seed: 1));
        file.Write(Bytes(5000, seed: 2), 3000);

        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal(Bytes(10_000, seed: 1), Content("a.dat"));
    }

    [Fact]
    public void A_file_grown_without_a_sync_can_keep_its_size_with_a_zero_filled_tail()
    {
        using IStorageFile file = CreateDurable("a.dat", [1, 2, 3]);
        file.Write(Bytes(5000, seed: 3), 3);

        LoseAndRestore(new PowerLossMode(Survivors.None, ZeroFilledTails: true));

        Assert.Equal([1, 2, 3, .. new byte[5000]], Content("a.dat"));
    }

    [Fact]
    public void A_file_whose_directory_was_not_synced_after_its_creation_vanishes_even_with_its_data_synced()
    {
        using (IStorageFile file = fs.Open(PathOf("new.dat"), FileMode.CreateNew, writable: true))
        {
            file.Write(new byte[] { 1 }, 0);
            file.SyncData();
        }

        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.False(File.Exists(PathOf("new.dat")));
    }

    [Fact]
    public void An_unsynced_rename_over_an_existing_file_is_undone()
    {
        ReplaceDurableTableLogBySyncedRename();
        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal([1, 1], Content("table.log"));
        Assert.False(File.Exists(PathOf("table.log.tmp")));
    }

    [Fact]
    public void A_rename_followed_by_a_directory_sync_survives()
    {
        ReplaceDurableTableLogBySyncedRename();
        fs.SyncDirectory(temp.Path);
        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal([2, 2, 2], Content("table.log"));
    }

    [Fact]
    public void An_unsynced_unlink_is_undone_with_the_file_as_last_synced()
    {
        using (IStorageFile file = CreateDurable("old.seg", [5, 6]))
        {
            file.Write(new byte[] { 7 }, 2);
        }

        fs.Delete(PathOf("old.seg"));
        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal([5, 6], Content("old.seg"));
    }

    [Fact]
    public void An_unlinked_file_still_open_comes_back_with_what_was_synced_through_the_open_handle()
    {
        using IStorageFile file = CreateDurable("old.seg", [5, 6]);
        fs.Delete(PathOf("old.seg"));
        file.Write(new byte[] { 8 }, 0);
        file.SyncData();

        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.Equal([8, 6], Content("old.seg"));
    }

    [Fact]
    public unsafe void An_unsynced_change_through_a_memory_map_is_lost_and_a_synced_one_kept()
    {
        using IStorageFile file = CreateDurable("a.idx", []);
        using IMappedRegion region = file.Map(8192, writable: true);
        region.Pointer[10] = 1;
        region.Sync();
        region.Pointer[10] = 2;
        region.Pointer[5000] = 3;

        LoseAndRestore(PowerLossMode.KeepNone);

        byte[] content = Content("a.idx");
        Assert.Equal(8192, content.Length);
        Assert.Equal(1, content[10]);
        Assert.Equal(0, content[5000]);
    }

    [Fact]
    public void A_directory_created_without_a_sync_of_its_parent_vanishes_with_its_files()
    {
        fs.CreateDirectory(PathOf("store"));
        using (IStorageFile file = fs.Open(PathOf(Path.Combine("store", "a.dat")), FileMode.CreateNew, writable: true))
        {
            file.Write(new byte[] { 1 }, 0);
            file.SyncData();
        }

        fs.SyncDirectory(PathOf("store"));
        LoseAndRestore(PowerLossMode.KeepNone);

        Assert.False(Directory.Exists(PathOf("store")));
    }

    [Fact]
    public void A_time_cut_keeps_earlier_unsynced_writes_whenever_it_keeps_a_later_one()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            byte[] content = PagesAfterPowerLoss(pages: 6, new PowerLossMode(Survivors.Prefix, seed));
            byte[] expected = [.. Enumerable.Range(0, content.Length / Inode.PageSize).SelectMany(p => Enumerable.Repeat((byte)(p + 1), Inode.PageSize))];
            Assert.Equal(expected, content);
        }
    }

    [Fact]
    public void A_random_power_loss_is_the_same_for_the_same_seed()
    {
        string[] outcomes = [.. Enumerable.Range(0, 2).Select(_ => RandomOutcome(seed: 12))];

        Assert.Equal(outcomes[0], outcomes[1]);
        Assert.NotEqual(outcomes[0], RandomOutcome(seed: 13));
    }

    [Fact]
    public void Files_opened_before_the_power_loss_are_dead_and_nothing_works_until_power_is_back()
    {
        using IStorageFile file = CreateDurable("a.dat", [1]);

        fs.PowerLoss(PowerLossMode.KeepAll);

        Assert.Throws<IOException>(() => file.Write(new byte[] { 2 }, 0));
        Assert.Throws<IOException>(() => fs.Open(PathOf("b.dat"), FileMode.CreateNew, writable: true));
        fs.PowerOn();
        Assert.Throws<IOException>(() => file.SyncData());
        using IStorageFile again = fs.Open(PathOf("a.dat"), FileMode.Open, writable: true);
        again.Write(new byte[] { 3 }, 0);
        Assert.Equal([3], Content("a.dat"));
    }

    [Fact]
    public void A_cut_armed_for_a_later_change_fails_that_change_and_keeps_only_what_was_synced()
    {
        using IStorageFile file = CreateDurable("a.dat", [1]);
        fs.CutAt(2, PowerLossMode.KeepAll);

        file.Write(new byte[] { 2 }, 1);
        file.SyncData();
        Assert.Throws<IOException>(() => file.Write(new byte[] { 3 }, 2));

        Assert.True(fs.IsOff);
        fs.PowerOn();
        Assert.Equal([1, 2], Content("a.dat"));
    }

    /// <summary>Creates a file holding <paramref name="data"/>, synced, with its name synced too.</summary>
    private IStorageFile CreateDurable(string name, byte[] data)
    {
        IStorageFile file = fs.Open(PathOf(name), FileMode.CreateNew, writable: true);
        file.Write(data, 0);
        file.SyncData();
        fs.SyncDirectory(temp.Path);
        return file;
    }

    /// <summary>A table rewrite's steps short of the directory sync: table.log [1,1] durable, replaced by a synced [2,2,2] through a rename.</summary>
    private void ReplaceDurableTableLogBySyncedRename()
    {
        CreateDurable("table.log", [1, 1]).Dispose();
        using (IStorageFile replacement = fs.Open(PathOf("table.log.tmp"), FileMode.Create, writable: true))
        {
            replacement.Write(new byte[] { 2, 2, 2 }, 0);
            replacement.SyncData();
        }

        fs.Rename(PathOf("table.log.tmp"), PathOf("table.log"));
    }

    private static string RandomOutcome(int seed) => Convert.ToHexString(PagesAfterPowerLoss(pages: 16, new PowerLossMode(Survivors.Random, seed)));

    /// <summary>A durable empty file gets <paramref name="pages"/> pages written in order (page i full of i + 1), unsynced; what is left after the power loss.</summary>
    private static byte[] PagesAfterPowerLoss(int pages, PowerLossMode mode)
    {
        using var run = new TempDirectory();
        var local = new PowerLossFileSystem();
        using (IStorageFile file = local.Open(Path.Combine(run.Path, "log"), FileMode.CreateNew, writable: true))
        {
            file.SyncData();
            local.SyncDirectory(run.Path);
            for (int page = 0; page < pages; page++)
            {
                file.Write(Enumerable.Repeat((byte)(page + 1), Inode.PageSize).ToArray(), (long)page * Inode.PageSize);
            }

            local.PowerLoss(mode);
        }

        return File.ReadAllBytes(Path.Combine(run.Path, "log"));
    }

    private void LoseAndRestore(PowerLossMode mode)
    {
        fs.PowerLoss(mode);
        fs.PowerOn();
    }

    private string PathOf(string name) => Path.Combine(temp.Path, name);

    private byte[] Content(string name) => File.ReadAllBytes(PathOf(name));

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
