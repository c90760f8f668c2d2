using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Rebuilding a sealed segment's index syncs the segment's data first, and a sealed segment is
/// open read-only: on Windows FlushFileBuffers refuses a read-only handle, so the sync must go
/// through a handle opened writable (storage review F18). The fault file system refuses such a
/// sync here as Windows would; both failed before the fix.
/// </summary>
public sealed class ReadOnlySealedSyncTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new() { RefuseReadOnlySync = true };

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_missing_sealed_index_is_rebuilt_on_open_without_syncing_a_read_only_handle()
    {
        Entry[] written = WriteThreeSegments();
        string sealedSegment = Segments(temp.Path)[0];
        File.Delete(IndexOf(sealedSegment));

        using Db db = Open();
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });

        TestEntries.AssertMatches(written, ledger.Read(0, 1000));
        Assert.True(File.Exists(IndexOf(sealedSegment)));
    }

    [Fact]
    public void A_sealed_index_whose_slots_fail_their_checksum_is_rebuilt_on_first_read_without_syncing_a_read_only_handle()
    {
        Entry[] written = WriteThreeSegments();
        string index = IndexOf(Segments(temp.Path)[0]);
        FlipByte(index, IndexHeaderSize + IndexSlotSize);

        using Db db = Open();
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });

        TestEntries.AssertMatches(written, ledger.Read(0, 1000));
    }

    /// <summary>Writes 30 entries of about 130 bytes, 2 KiB segments: at least two sealed segments.</summary>
    private Entry[] WriteThreeSegments()
    {
        Entry[] entries = TestEntries.Range(1, 30, extra: 100);
        using (Db db = Open())
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix }))
        {
            foreach (Entry entry in entries)
            {
                ledger.Write([entry]);
            }
        }

        Assert.True(Segments(temp.Path).Length >= 3);
        return entries;
    }

    private Db Open() =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = true, SegmentSize = 2048, FileSystem = files });
}
