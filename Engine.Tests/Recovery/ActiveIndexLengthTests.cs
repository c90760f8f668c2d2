using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The active segment's index is mapped with room for at least the whole file, whatever its
/// length: a file that is not a header plus whole slots long (bytes appended by damage, or a
/// crash while it was being extended) is reopened like any other, never refused with an
/// exception that is not <see cref="CorruptionException"/>. Found by the corruption fuzzer.
/// </summary>
public sealed class ActiveIndexLengthTests : IDisposable
{
    private const long SegmentSize = 4096;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public ActiveIndexLengthTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(4097)]
    public void An_active_index_with_bytes_past_its_last_whole_slot_reopens_and_reads_as_before(int extra)
    {
        LedgerState before;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            open.Ledger.Write(Batch(1, 3));
            open.Ledger.Write(Batch(4, 2));
            before = LedgerState.Capture(open.Ledger);
        }

        string index = IndexOf(Segments(db)[^1]);
        Append(index, new byte[extra]);

        using (OpenLedger reopened = OpenLedger.Open(db, SegmentSize))
        {
            LedgerState.AssertSame(before, LedgerState.Capture(reopened.Ledger));
        }
    }
}
