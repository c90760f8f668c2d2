using Microsoft.Extensions.Logging;
using Quasar.Storage;
using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The clean-close record (FORMAT.md, "Index header" and "Recovery on open"): a clean close
/// records the last segment in its index header, the next open trusts it instead of scanning the
/// slots and validating the last batch, and nothing else - a crash, a stale record, a power loss
/// while closing - ever gets that trust.
/// </summary>
public sealed class CleanCloseTests : IDisposable
{
    private const long SegmentSize = 1 << 20;
    private const int OpenedByCleanCloseEvent = 17;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public CleanCloseTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_clean_close_records_the_last_segment_exactly_in_its_index_header()
    {
        List<WrittenBatch> batches = WriteAndClose(db, 4);

        string segment = batches[^1].SegmentPath;
        IndexHeaderFields header = ReadIndexHeader(IndexOf(segment));
        Assert.Equal((IndexStateClosed, 12L, new FileInfo(segment).Length, batches[^1].Last), (header.State, header.Count, header.DataLength, header.LastSequence));
        Assert.Equal(header.ComputedSlotsCrc, header.SlotsCrc);
    }

    [Fact]
    public void Reopening_after_a_clean_close_opens_the_last_segment_by_its_record()
    {
        WriteAndClose(db, 4);
        var logger = new TestLogger();

        using OpenLedger open = OpenLedger.Open(db, SegmentSize, logger: logger);

        Assert.Equal((12L, 12UL), (open.Ledger.Length, open.Ledger.Head));
        Assert.Single(logger.Messages, m => m.EventId.Id == OpenedByCleanCloseEvent);
        Assert.Empty(logger.At(LogLevel.Warning));
    }

    [Fact]
    public void Damage_to_the_last_batch_after_a_clean_close_is_reported_on_read_not_truncated_as_torn()
    {
        // The open validates no batch (the record vouches that all were synced), so the damage is
        // found where it is read, as damage anywhere else in a synced segment is.
        WrittenBatch last = WriteAndClose(db, 4)[^1];
        FlipByte(last.SegmentPath, last.EntryOffset(0) + EntryHeaderSize + 2);

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);

        Assert.Equal(12, open.Ledger.Length);
        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(last.First, 1));
        AssertNames(error, last.SegmentPath, last.EntryOffset(0));
    }

    [Fact]
    public void The_checker_calls_damage_to_the_last_batch_of_a_cleanly_closed_segment_an_error()
    {
        WrittenBatch last = WriteAndClose(db, 4)[^1];
        FlipByte(last.SegmentPath, last.EntryOffset(0) + EntryHeaderSize + 2);

        Assert.Contains(StoreCheck.Problems(db), p => p.Severity == ProblemSeverity.Error && p.FilePath == last.SegmentPath);
    }

    [Fact]
    public void After_a_crash_the_same_damage_is_a_torn_write_that_recovery_truncates()
    {
        // Copied while open: the files a killed process leaves, without a clean-close record.
        string written = Path.Combine(temp.Path, "written");
        WrittenBatch last;
        using (OpenLedger open = OpenLedger.Open(written, SegmentSize))
        {
            last = WriteBatches(open.Ledger, written, 4)[^1];
            CopyDirectory(LedgerDirectory(written), LedgerDirectory(db));
        }

        string copied = Rebase(last.SegmentPath, written, db);
        FlipByte(copied, last.EntryOffset(0) + EntryHeaderSize + 2);
        var logger = new TestLogger();

        using OpenLedger reopened = OpenLedger.Open(db, SegmentSize, logger: logger);

        Assert.Equal(9, reopened.Ledger.Length);
        Assert.Contains(logger.At(LogLevel.Warning), m => m.Message.Contains("truncated", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Messages, m => m.EventId.Id == OpenedByCleanCloseEvent);
    }

    [Fact]
    public void A_record_from_before_later_appends_is_not_trusted()
    {
        string index = IndexOf(WriteAndClose(db, 2)[^1].SegmentPath);
        byte[] stale = File.ReadAllBytes(index);
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            open.Ledger.Write(Batch(7, 3));
        }

        File.WriteAllBytes(index, stale); // as if the later headers had never reached the disk
        var logger = new TestLogger();

        using OpenLedger reopened = OpenLedger.Open(db, SegmentSize, logger: logger);

        Assert.Equal((9L, 9UL), (reopened.Ledger.Length, reopened.Ledger.Head));
        Assert.Equal(Batch(7, 3).Select(e => e.Sequence), reopened.Ledger.Read(7, 10).Select(e => e.Sequence));
        Assert.DoesNotContain(logger.Messages, m => m.EventId.Id == OpenedByCleanCloseEvent);
    }

    [Fact]
    public void The_first_append_after_reopening_replaces_the_record_on_disk_before_its_batch_is_written()
    {
        string index = IndexOf(WriteAndClose(db, 2)[^1].SegmentPath);
        var fs = new PowerLossFileSystem();
        Db opened = Db.Open(db, new DbOptions { SegmentSize = SegmentSize, FileSystem = fs });
        Ledger ledger = Ledger.Open(opened, new LedgerOptions { Prefix = Prefix });
        ledger.Write(Batch(7, 3));

        // Nothing unsynced survives: had the active header only reached the page cache, the disk
        // would still hold the record beside a batch appended after it.
        fs.PowerLoss(PowerLossMode.KeepNone);
        Abandon(ledger, opened);

        IndexHeaderFields header = ReadIndexHeader(index);
        Assert.Equal((IndexStateActive, 6L), (header.State, header.Count));
    }

    [Theory]
    [InlineData(Survivors.None)]
    [InlineData(Survivors.All)]
    [InlineData(Survivors.Random)]
    public void A_power_loss_anywhere_in_a_clean_close_keeps_every_synced_entry_and_a_consistent_store(Survivors keep)
    {
        for (int cut = 0; ; cut++)
        {
            string directory = Path.Combine(temp.Path, $"cut-{cut}");
            var fs = new PowerLossFileSystem();
            Db opened = Db.Open(directory, new DbOptions { SegmentSize = SegmentSize, FileSystem = fs });
            Ledger ledger = Ledger.Open(opened, new LedgerOptions { Prefix = Prefix });
            ledger.Write(Batch(1, 3));
            ledger.Write(Batch(4, 3));
            opened.Sync();
            ledger.Write(Batch(7, 3));

            fs.CutAt(cut, new PowerLossMode(keep, Seed: cut, ZeroFilledTails: keep == Survivors.Random));
            Abandon(ledger, opened);
            bool closedWhole = fs.Disarm();
            fs.PowerOn();

            InContext($"power lost at change {cut} of the close ({keep})", () =>
            {
                using (OpenLedger reopened = OpenLedger.Open(directory, SegmentSize))
                {
                    long length = reopened.Ledger.Length;
                    Assert.True(length is 6 or 9, $"length {length}");
                    Assert.True(!closedWhole || length == 9, "a close that finished lost entries");
                    Assert.Equal(Enumerable.Range(1, (int)length).Select(i => (ulong)i), reopened.Ledger.Read(1, 100).Select(e => e.Sequence));
                }

                StoreCheck.AssertNoErrors(directory);
            });

            if (closedWhole)
            {
                return;
            }
        }
    }

    private static List<WrittenBatch> WriteAndClose(string directory, int batches)
    {
        using OpenLedger open = OpenLedger.Open(directory, SegmentSize);
        return WriteBatches(open.Ledger, directory, batches);
    }

    private static List<WrittenBatch> WriteBatches(Ledger ledger, string directory, int batches) =>
        [.. Enumerable.Range(0, batches).Select(b => WriteTracked(ledger, directory, Batch(1 + (3 * (ulong)b), 3)))];

    /// <summary>Closes what a power loss may have left without a device; its errors are the expected ones.</summary>
    private static void Abandon(Ledger ledger, Db db)
    {
        foreach (IDisposable disposable in new IDisposable[] { ledger, db })
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception error) when (error is IOException or AggregateException)
            {
            }
        }
    }
}
