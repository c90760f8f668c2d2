using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerDisposeTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Runs <paramref name="action"/> on a thread of its own, so a busy thread pool cannot keep it from racing.</summary>
    private static Task RunThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static readonly IReadOnlyDictionary<string, Action<Ledger>> Members = LedgerMembers.All;

    public static TheoryData<string> MemberNames => [.. Members.Keys];

    [Fact]
    public void Dispose_is_idempotent()
    {
        using var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d" });

        ledger.Dispose();
        ledger.Dispose();
    }

    [Theory]
    [MemberData(nameof(MemberNames))]
    public void Every_member_throws_ObjectDisposedException_after_Dispose(string member)
    {
        using var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d", Cache = 4 });
        ledger.Write(EntriesOf(1, 2, 3));
        ledger.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Members[member](ledger));
    }

    [Theory]
    [MemberData(nameof(MemberNames))]
    public void Every_member_throws_ObjectDisposedException_after_the_Db_is_disposed(string member)
    {
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d", Cache = 4 });
        ledger.Write(EntriesOf(1, 2, 3));
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Members[member](ledger));
        ledger.Dispose();
    }

    [Fact]
    public void The_prefix_can_be_opened_again_on_the_same_Db_after_Dispose_with_its_data()
    {
        using var db = Db.Open(temp.Path);
        var first = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
        first.Write(EntriesOf(1, 2, 3));
        first.Delete(1);
        first.Dispose();

        using var second = Ledger.Open(db, new LedgerOptions { Prefix = "d" });

        AssertState(second, 3, 1, 2, 3);
        Assert.Throws<ObjectDisposedException>(() => first.Length);
    }

    [Fact]
    public void Disposing_an_old_instance_again_does_not_release_the_prefix_of_the_new_one()
    {
        using var db = Db.Open(temp.Path);
        var first = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
        first.Dispose();
        using var second = Ledger.Open(db, new LedgerOptions { Prefix = "d" });

        first.Dispose();

        Assert.Throws<InvalidOperationException>(() => Ledger.Open(db, new LedgerOptions { Prefix = "d" }));
        second.Write(EntriesOf(1));
        AssertState(second, 1, 0, 1);
    }

    [Fact]
    public void Db_Dispose_closes_open_ledgers_and_their_data_persists()
    {
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
        ledger.Write(EntriesOf(1, 2, 3));

        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ledger.Read(1, 10));
        ledger.Dispose();
        using var reopened = Db.Open(temp.Path);
        using var again = Ledger.Open(reopened, new LedgerOptions { Prefix = "d" });
        AssertState(again, 3, 0, 1, 2, 3);
    }

    [Fact]
    public async Task A_Read_racing_Dispose_returns_correct_data_or_throws_ObjectDisposedException()
    {
        Entry[] all = TestEntries.Range(1, 40);
        using var db = Db.Open(temp.Path, new DbOptions { SegmentSize = 200 });
        using (var writer = Ledger.Open(db, new LedgerOptions { Prefix = "d" }))
        {
            foreach (Entry[] batch in all.Chunk(3))
            {
                writer.Write(batch);
            }

            writer.Delete(2);
        }

        for (int i = 0; i < 300; i++)
        {
            var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d", Cache = i % 2 == 0 ? 0 : 30 });
            int reads = 0;
            Task reader = RunThread(() =>
            {
                while (true)
                {
                    try
                    {
                        TestEntries.AssertMatches(all[2..], ledger.Read(0, 100));
                        Assert.Equal((3UL, true), ledger.Index(0));
                        Assert.Equal(38, ledger.Length);
                        Interlocked.Increment(ref reads);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });

            // Let the reader start (bounded: it may also just be slow), then dispose under it.
            SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0 || reader.IsCompleted, TimeSpan.FromSeconds(10));
            ledger.Dispose();
            await reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_Read_racing_Db_Dispose_returns_correct_data_or_throws_ObjectDisposedException()
    {
        Entry[] all = TestEntries.Range(1, 40);
        using (var db = Db.Open(temp.Path, new DbOptions { SegmentSize = 200 }))
        using (var writer = Ledger.Open(db, new LedgerOptions { Prefix = "d" }))
        {
            foreach (Entry[] batch in all.Chunk(3))
            {
                writer.Write(batch);
            }
        }

        for (int i = 0; i < 200; i++)
        {
            var db = Db.Open(temp.Path, new DbOptions { SegmentSize = 200 });
            var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
            int reads = 0;
            Task reader = RunThread(() =>
            {
                while (true)
                {
                    try
                    {
                        TestEntries.AssertMatches(all[10..20], ledger.Read(11, 10));
                        Interlocked.Increment(ref reads);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });

            SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0 || reader.IsCompleted, TimeSpan.FromSeconds(10));
            db.Dispose();
            await reader.WaitAsync(TimeSpan.FromSeconds(10));
            ledger.Dispose();
        }
    }

    [Fact]
    public async Task A_Write_racing_Dispose_is_either_fully_persisted_or_throws_ObjectDisposedException()
    {
        using var db = Db.Open(temp.Path);
        ulong written = 0;
        for (int i = 0; i < 25; i++)
        {
            var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
            ulong started = written;
            Task writer = RunThread(() =>
            {
                while (true)
                {
                    try
                    {
                        ledger.Write(TestEntries.Range(written + 1, 3));
                        written += 3;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });

            SpinWait.SpinUntil(() => Volatile.Read(ref written) > started || writer.IsCompleted, TimeSpan.FromSeconds(10));
            ledger.Dispose();
            await writer.WaitAsync(TimeSpan.FromSeconds(10));
        }

        using var reopened = Ledger.Open(db, new LedgerOptions { Prefix = "d" });
        Assert.Equal((long)written, reopened.Length);
        Assert.Equal(written, reopened.Head);
        TestEntries.AssertMatches(TestEntries.Range(1, (int)written), reopened.Read(1, int.MaxValue));
    }
}
