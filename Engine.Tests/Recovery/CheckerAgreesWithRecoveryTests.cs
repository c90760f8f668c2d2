using Quasar.Storage;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The consistency checker judges the last segment the way recovery does: damage to a batch that
/// the index records as synced (before the last batch of its synced prefix) is not validated on
/// open and makes a read throw <see cref="CorruptionException"/>, so the checker must call it an
/// error, not a torn write that recovery would truncate. Found by the corruption fuzzer: without
/// durable batches after the damage, the checker reported a warning for a store whose read threw.
/// </summary>
public sealed class CheckerAgreesWithRecoveryTests : IDisposable
{
    private const long SegmentSize = 64 * 1024;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public CheckerAgreesWithRecoveryTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Damage_to_a_synced_batch_before_the_last_of_the_active_segment_is_an_error_for_the_checker_as_for_a_read()
    {
        var batches = new List<WrittenBatch>();
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            for (ulong first = 1; first <= 9; first += 3)
            {
                batches.Add(WriteTracked(open.Ledger, db, Batch(first, 3)));
            }
        }

        WrittenBatch damaged = batches[1];
        FlipByte(damaged.SegmentPath, damaged.EntryOffset(0) + EntryHeaderSize + 2);

        using (OpenLedger reopened = OpenLedger.Open(db, SegmentSize))
        {
            CorruptionException error = Assert.Throws<CorruptionException>(() => reopened.Ledger.Read(1, 100));
            AssertNames(error, damaged.SegmentPath, damaged.EntryOffset(0));
        }

        CheckProblem[] errors = [.. StoreCheck.Problems(db).Where(p => p.Severity == ProblemSeverity.Error)];
        Assert.Contains(errors, p => p.FilePath == damaged.SegmentPath && p.Offset == damaged.EntryOffset(0));
    }
}
