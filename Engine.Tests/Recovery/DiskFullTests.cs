using System.Diagnostics;
using Quasar.CrashWriter;
using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Storage review F1: a full disk must fail the call with an <see cref="IOException"/>, never kill
/// the process with SIGBUS through a store into an unallocated page of the memory-mapped index.
/// Each case fills a 4 MiB tmpfs, frees a few pages, and lets a child process
/// (tools/Quasar.CrashWriter, disk-full mode) write 1-entry batches until a call fails; before the
/// index space was reserved through positional writes, the child died by signal 7.
/// </summary>
public sealed class DiskFullTests
{
    private const string Prefix = "full";
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

    // (0, 1): the new segment's data header takes the last page, its index has none.
    // (252, 0): slot 252 is the first of a new index page while the data page has room.
    // (2000, 1): the child finds sealed segments and an active one.
    // (0, 16): data and index pages compete for the space left.
    [TmpfsTheory]
    [InlineData(0, 1)]
    [InlineData(252, 0)]
    [InlineData(2000, 1)]
    [InlineData(0, 16)]
    public void A_full_disk_fails_the_write_with_an_IOException_and_the_store_reopens_clean_once_space_is_free(int existingBatches, int freedPages)
    {
        using SmallTmpfs tmpfs = SmallTmpfs.Mount(4);
        string db = Path.Combine(tmpfs.Path, "db");
        WriteBatches(db, existingBatches);
        tmpfs.Fill();
        tmpfs.Free(freedPages);

        (int exitCode, string[] lines, string describe) = RunChild(db);

        Assert.True(exitCode == CrashProtocol.DiskFullIOException, $"the child exited with {exitCode} (134 or 135: the runtime died of a signal, as SIGBUS does), not by an IOException\n{describe}");
        Assert.True(CrashProtocol.TryParseIoError(lines[^1], out long acknowledged), describe);
        tmpfs.FreeAll();
        using (var reopened = Db.Open(db, Options))
        using (var ledger = Ledger.Open(reopened, new LedgerOptions { Prefix = Prefix }))
        {
            Assert.Equal(existingBatches + acknowledged, ledger.Length); // the failed write left no trace
            ledger.Write([new Entry(ledger.Head + 1, new byte[] { 1 })]);
        }

        StoreCheck.AssertNoErrors(db);
    }

    private static DbOptions Options => new() { SegmentSize = CrashProtocol.DiskFullSegmentSize };

    /// <summary>Writes <paramref name="count"/> 1-entry batches before the disk is filled (the ledger the child finds).</summary>
    private static void WriteBatches(string directory, int count)
    {
        using var db = Db.Open(directory, Options);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        for (int i = 1; i <= count; i++)
        {
            ledger.Write([new Entry((ulong)i, ReadOnlyMemory<byte>.Empty)]);
        }
    }

    /// <summary>Runs the disk-full child to its end (bounded): its exit code and stdout lines.</summary>
    private static (int ExitCode, string[] Lines, string Describe) RunChild(string directory)
    {
        using CrashChild child = CrashChild.Start(CrashProtocol.DiskFullArguments(directory, Prefix));
        var watch = Stopwatch.StartNew();
        while (!child.HasExited && watch.Elapsed < ChildTimeout)
        {
            Thread.Sleep(20);
        }

        child.Kill(); // drains the output; kills only a child that overran the timeout
        Assert.True(child.ExitedBeforeKill, $"the child did not finish within {ChildTimeout}\n{child.Describe()}");
        return (child.ExitCode, child.Lines, child.Describe());
    }
}
