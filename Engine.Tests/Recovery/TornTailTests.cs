using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A crash can tear only the last batch record of the last segment. Recovery must drop exactly
/// that record - wherever the tear is - and leave a ledger that takes the same sequences again.
/// </summary>
public sealed class TornTailTests : IDisposable
{
    private const int Batches = 5;
    private const int BatchSize = 3;
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_last_batch_cut_at_any_byte_is_dropped_whole_leaving_the_complete_batches(bool lastBatchStartsNewSegment)
    {
        Written written = WriteBatches(lastBatchStartsNewSegment);
        Entry[] complete = written.All[..^BatchSize];
        string work = Path.Combine(temp.Path, "work");

        for (long cut = written.Last.Start; cut < written.Last.End; cut++)
        {
            InContext($"segment cut at byte {cut} (last batch spans {written.Last.Start}..{written.Last.End})", () =>
            {
                CopyDirectory(written.Pristine, work);
                Truncate(Rebase(written.Last.SegmentPath, written.Pristine, work), cut);

                using OpenLedger open = OpenLedger.Open(work, written.SegmentSize);
                Assert.Equal(complete.Length, open.Ledger.Length);
                Assert.Equal(complete[^1].Sequence, open.Ledger.Head);
                Assert.Equal(0UL, open.Ledger.Tail);
                Assert.Equal((complete[^1].Sequence, true), open.Ledger.Index(-1));
                TestEntries.AssertMatches(complete, open.Ledger.Read(1, 1000));
            });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_a_torn_last_batch_is_dropped_its_sequences_can_be_written_again(bool lastBatchStartsNewSegment)
    {
        Written written = WriteBatches(lastBatchStartsNewSegment);
        string work = Path.Combine(temp.Path, "work");

        for (long cut = written.Last.Start; cut < written.Last.End; cut++)
        {
            InContext($"segment cut at byte {cut} (last batch spans {written.Last.Start}..{written.Last.End})", () =>
            {
                CopyDirectory(written.Pristine, work);
                Truncate(Rebase(written.Last.SegmentPath, written.Pristine, work), cut);

                using (OpenLedger open = OpenLedger.Open(work, written.SegmentSize))
                {
                    open.Ledger.Write(written.Last.Entries);
                }

                using (OpenLedger open = OpenLedger.Open(work, written.SegmentSize))
                {
                    Assert.Equal(written.All.Length, open.Ledger.Length);
                    Assert.Equal(written.All[^1].Sequence, open.Ledger.Head);
                    TestEntries.AssertMatches(written.All, open.Ledger.Read(1, 1000));
                }
            });
        }
    }

    [Fact]
    public void A_new_segment_cut_inside_its_header_is_discarded_on_open()
    {
        Written written = WriteBatches(lastBatchStartsNewSegment: true);
        Entry[] complete = written.All[..^BatchSize];
        string work = Path.Combine(temp.Path, "work");

        for (long cut = 0; cut < SegmentHeaderSize; cut++)
        {
            InContext($"new segment cut at byte {cut}", () =>
            {
                CopyDirectory(written.Pristine, work);
                string segment = Rebase(written.Last.SegmentPath, written.Pristine, work);
                Truncate(segment, cut);

                using (OpenLedger open = OpenLedger.Open(work, written.SegmentSize))
                {
                    Assert.Equal(complete.Length, open.Ledger.Length);
                    Assert.Equal(complete[^1].Sequence, open.Ledger.Head);
                    TestEntries.AssertMatches(complete, open.Ledger.Read(1, 1000));
                    open.Ledger.Write(written.Last.Entries);
                }

                using (OpenLedger open = OpenLedger.Open(work, written.SegmentSize))
                {
                    TestEntries.AssertMatches(written.All, open.Ledger.Read(1, 1000));
                }
            });
        }
    }

    [Fact]
    public void A_torn_only_batch_leaves_an_empty_ledger_that_takes_the_same_sequences_again()
    {
        string pristine = Path.Combine(temp.Path, "pristine");
        Entry[] batch = Batch(1, BatchSize);
        WrittenBatch written;
        using (OpenLedger open = OpenLedger.Open(pristine, 64 * 1024))
        {
            written = WriteTracked(open.Ledger, pristine, batch);
        }

        string work = Path.Combine(temp.Path, "work");
        for (long cut = 0; cut < written.End; cut++)
        {
            InContext($"segment cut at byte {cut} (the batch spans {written.Start}..{written.End})", () =>
            {
                CopyDirectory(pristine, work);
                Truncate(Rebase(written.SegmentPath, pristine, work), cut);

                using (OpenLedger open = OpenLedger.Open(work, 64 * 1024))
                {
                    Assert.Equal(0, open.Ledger.Length);
                    Assert.Equal(0UL, open.Ledger.Head);
                    Assert.Equal((0UL, false), open.Ledger.Index(0));
                    Assert.Empty(open.Ledger.Read(1, 10));
                    Assert.Empty(Segments(work));
                    open.Ledger.Write(batch);
                }

                using (OpenLedger open = OpenLedger.Open(work, 64 * 1024))
                {
                    TestEntries.AssertMatches(batch, open.Ledger.Read(1, 10));
                }
            });
        }
    }

    /// <summary>
    /// After a power loss without <see cref="DbOptions.SyncWrites"/> the file can keep its length
    /// while the pages of the unsynced batches read as zeros, and the index can still hold their
    /// slots: recovery must step back past every such batch, not just the last one.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Zeroed_final_batches_under_an_index_that_still_lists_them_are_cut_back_to_the_complete_batches(int zeroedBatches)
    {
        Written written = WriteBatches(lastBatchStartsNewSegment: false);
        long batchLength = written.Last.End - written.Last.Start;
        long zeroFrom = written.Last.End - (zeroedBatches * batchLength);
        Overwrite(written.Last.SegmentPath, zeroFrom, new byte[written.Last.End - zeroFrom]);
        Entry[] complete = written.All[..^(zeroedBatches * BatchSize)];

        using (OpenLedger open = OpenLedger.Open(written.Pristine, written.SegmentSize))
        {
            Assert.Equal(zeroFrom, new FileInfo(written.Last.SegmentPath).Length);
            Assert.Equal(complete.Length, open.Ledger.Length);
            Assert.Equal(complete[^1].Sequence, open.Ledger.Head);
            Assert.Equal((complete[^1].Sequence, true), open.Ledger.Index(-1));
            TestEntries.AssertMatches(complete, open.Ledger.Read(1, 1000));
            open.Ledger.Write(written.All.AsSpan(complete.Length));
        }

        using (OpenLedger open = OpenLedger.Open(written.Pristine, written.SegmentSize))
        {
            TestEntries.AssertMatches(written.All, open.Ledger.Read(1, 1000));
        }
    }

    [Theory]
    [InlineData("random bytes", 100, false)]
    [InlineData("random bytes", 100, true)]
    [InlineData("zeros", 100, false)]
    [InlineData("zeros", 4096, true)]
    [InlineData("a batch magic and nothing more", 4, false)]
    public void Garbage_after_the_last_batch_is_cut_off_on_open_and_writing_continues_after_it(string garbage, int length, bool lastBatchStartsNewSegment)
    {
        Written written = WriteBatches(lastBatchStartsNewSegment);
        byte[] bytes = garbage switch
        {
            "random bytes" => RandomBytes(length, seed: length),
            "zeros" => new byte[length],
            _ => "QSB1"u8.ToArray(),
        };
        Append(written.Last.SegmentPath, bytes);

        Entry[] next = Batch(written.All[^1].Sequence + 1, BatchSize);
        using (OpenLedger open = OpenLedger.Open(written.Pristine, written.SegmentSize))
        {
            Assert.Equal(written.Last.End, new FileInfo(written.Last.SegmentPath).Length);
            TestEntries.AssertMatches(written.All, open.Ledger.Read(1, 1000));
            open.Ledger.Write(next);
        }

        using (OpenLedger open = OpenLedger.Open(written.Pristine, written.SegmentSize))
        {
            Assert.Equal(written.All.Length + BatchSize, open.Ledger.Length);
            TestEntries.AssertMatches([.. written.All, .. next], open.Ledger.Read(1, 1000));
        }
    }

    /// <summary>
    /// Writes <see cref="Batches"/> batches of <see cref="BatchSize"/> entries into a database that is
    /// then closed cleanly. Either all in one segment, or two batches per segment so that the last
    /// batch is the first record of a segment of its own.
    /// </summary>
    private Written WriteBatches(bool lastBatchStartsNewSegment)
    {
        string pristine = Path.Combine(temp.Path, "pristine");
        long segmentSize = lastBatchStartsNewSegment
            ? SegmentHeaderSize + (2 * BatchLength(Batch(1, BatchSize)))
            : 64 * 1024;
        var batches = new List<WrittenBatch>();
        using (OpenLedger open = OpenLedger.Open(pristine, segmentSize))
        {
            for (int b = 0; b < Batches; b++)
            {
                batches.Add(WriteTracked(open.Ledger, pristine, Batch(1 + ((ulong)b * BatchSize), BatchSize)));
            }
        }

        WrittenBatch last = batches[^1];
        if (lastBatchStartsNewSegment)
        {
            Assert.Equal(SegmentHeaderSize, last.Start);
            Assert.Equal(3, Segments(pristine).Length);
        }
        else
        {
            Assert.Single(Segments(pristine));
        }

        Assert.Equal(last.End, new FileInfo(last.SegmentPath).Length);
        return new Written(pristine, segmentSize, last, [.. batches.SelectMany(b => b.Entries)]);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed record Written(string Pristine, long SegmentSize, WrittenBatch Last, Entry[] All);
}
