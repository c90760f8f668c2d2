using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Only a durable batch that could follow the failed one in the ledger proves damage: a complete
/// batch record carried inside the torn batch's own payload proves nothing.
/// </summary>
public sealed class DurableBatchSearchTests : IDisposable
{
    private const long SegmentSize = 1 << 20;

    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Storage review F13: the search for a durable batch started inside the failed batch's bytes
    // and ignored sequence order, so a payload holding a serialized durable batch turned a torn
    // final batch into damage and the ledger refused to open.
    [Fact]
    public void A_torn_final_batch_whose_payload_holds_a_durable_batch_record_is_truncated()
    {
        string other = Path.Combine(temp.Path, "other");
        byte[] durableRecord;
        using (OpenLedger open = OpenLedger.Open(other, SegmentSize, syncWrites: true))
        {
            WrittenBatch written = WriteTracked(open.Ledger, other, Batch(1000, 2));
            durableRecord = File.ReadAllBytes(written.SegmentPath)[(int)written.Start..(int)written.End];
        }

        string db = Path.Combine(temp.Path, "db");
        WrittenBatch torn;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            WriteTracked(open.Ledger, db, Batch(1, 3));
            torn = WriteTracked(open.Ledger, db, [new Entry(4, durableRecord.Concat(new byte[64]).ToArray())]);
        }

        Truncate(torn.SegmentPath, torn.End - 32); // the torn write keeps the embedded record whole

        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            Assert.Equal(3, open.Ledger.Length);
            Assert.Equal(torn.Start, new FileInfo(torn.SegmentPath).Length);
        }
    }
}
