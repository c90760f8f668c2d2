using Quasar.Tests.Databases;
using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>
/// What every store (<see cref="Ledger"/>, <see cref="Table"/>, cached or not) promises about its
/// life on a <see cref="Db"/> (API.md, "Ledgers and tables belong to their Db"): a prefix opens,
/// closes and opens again with its data; every call after the store's or the database's dispose
/// throws <see cref="ObjectDisposedException"/>, also one racing the dispose; one prefix names one
/// store per database, whatever its kind. Each kind of store runs these tests through a small
/// derived class that says how to open it, how to write its n-th item and how to check what it holds.
/// </summary>
/// <typeparam name="TStore">The store type.</typeparam>
public abstract class StoreContract<TStore> : IDisposable
    where TStore : class, IDisposable
{
    private const string Prefix = "store";

    private readonly TempDirectory temp = new();

    /// <summary>The test's directory.</summary>
    protected string Directory => temp.Path;

    /// <summary>Opens the store named <paramref name="prefix"/> on <paramref name="db"/>.</summary>
    protected abstract TStore Open(Db db, string prefix);

    /// <summary>Opens the other kind of store (a table for a ledger and the reverse) named <paramref name="prefix"/>.</summary>
    protected abstract IDisposable OpenOtherKind(Db db, string prefix);

    /// <summary>Writes item <paramref name="item"/> (1, 2, 3, ... in that order), something the store keeps.</summary>
    protected abstract void Put(TStore store, int item);

    /// <summary>Asserts that the store holds exactly items 1..<paramref name="count"/>, each as written.</summary>
    protected abstract void AssertHolds(TStore store, int count);

    /// <summary>A call of every public member, by name (with arguments that succeed on an open store).</summary>
    protected abstract IReadOnlyDictionary<string, Action<TStore>> Members { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        temp.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void A_new_prefix_opens_an_empty_store()
    {
        using var db = Db.Open(Directory);

        using TStore store = Open(db, Prefix);

        AssertHolds(store, 0);
    }

    [Fact]
    public void A_prefix_reopened_on_the_same_Db_after_Dispose_holds_what_was_written()
    {
        using var db = Db.Open(Directory);
        TStore first = Open(db, Prefix);
        PutItems(first, 3);
        first.Dispose();

        using TStore second = Open(db, Prefix);

        AssertHolds(second, 3);
    }

    [Fact]
    public void A_prefix_reopened_after_Db_Dispose_holds_what_was_written()
    {
        var db = Db.Open(Directory);
        TStore store = Open(db, Prefix);
        PutItems(store, 3);

        db.Dispose();

        using var reopened = Db.Open(Directory);
        using TStore again = Open(reopened, Prefix);
        AssertHolds(again, 3);
    }

    [Fact]
    public void Dispose_is_idempotent()
    {
        using var db = Db.Open(Directory);
        TStore store = Open(db, Prefix);

        store.Dispose();
        store.Dispose();
    }

    [Fact]
    public void Dispose_after_Db_Dispose_does_nothing()
    {
        var db = Db.Open(Directory);
        TStore store = Open(db, Prefix);
        db.Dispose();

        store.Dispose();
    }

    [Fact]
    public void Every_member_throws_ObjectDisposedException_after_Dispose()
    {
        using var db = Db.Open(Directory);
        TStore store = Open(db, Prefix);
        PutItems(store, 3);

        store.Dispose();

        AssertEveryMemberThrowsObjectDisposed(store);
    }

    [Fact]
    public void Every_member_throws_ObjectDisposedException_after_Db_Dispose()
    {
        var db = Db.Open(Directory);
        using TStore store = Open(db, Prefix);
        PutItems(store, 3);

        db.Dispose();

        AssertEveryMemberThrowsObjectDisposed(store);
    }

    [Fact]
    public void Opening_on_a_disposed_Db_throws_ObjectDisposedException_and_creates_nothing()
    {
        var db = Db.Open(Directory);
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Open(db, Prefix));

        Assert.Empty(System.IO.Directory.GetDirectories(Directory));
    }

    [Theory]
    [MemberData(nameof(PrefixTests.InvalidPrefixes), MemberType = typeof(PrefixTests))]
    public void Opening_with_an_invalid_prefix_throws_ArgumentException_and_creates_nothing(string prefix)
    {
        using var db = Db.Open(Directory);

        Assert.ThrowsAny<ArgumentException>(() => Open(db, prefix));

        Assert.Empty(System.IO.Directory.GetDirectories(Directory));
    }

    [Fact]
    public void Opening_a_prefix_open_on_the_same_Db_throws_InvalidOperationException_and_the_open_store_keeps_working()
    {
        using var db = Db.Open(Directory);
        using TStore store = Open(db, Prefix);

        Assert.Throws<InvalidOperationException>(() => Open(db, Prefix));

        PutItems(store, 2);
        AssertHolds(store, 2);
    }

    [Fact]
    public void Opening_the_other_kind_of_store_on_an_open_prefix_throws_InvalidOperationException()
    {
        using var db = Db.Open(Directory);
        using TStore store = Open(db, Prefix);

        Assert.Throws<InvalidOperationException>(() => OpenOtherKind(db, Prefix));

        PutItems(store, 1);
        AssertHolds(store, 1);
    }

    [Fact]
    public void A_prefix_released_by_Dispose_can_be_opened_as_the_other_kind()
    {
        using var db = Db.Open(Directory);
        Open(db, Prefix).Dispose();

        using IDisposable other = OpenOtherKind(db, Prefix);
    }

    [Fact]
    public void Disposing_an_old_instance_again_does_not_release_the_prefix_of_the_new_one()
    {
        using var db = Db.Open(Directory);
        TStore first = Open(db, Prefix);
        first.Dispose();
        using TStore second = Open(db, Prefix);

        first.Dispose();

        Assert.Throws<InvalidOperationException>(() => Open(db, Prefix));
        PutItems(second, 1);
        AssertHolds(second, 1);
    }

    [Fact]
    public void The_same_prefix_is_a_separate_store_on_another_Db()
    {
        using var one = Db.Open(Path.Combine(Directory, "one"));
        using var two = Db.Open(Path.Combine(Directory, "two"));
        using TStore first = Open(one, Prefix);
        using TStore second = Open(two, Prefix);

        PutItems(first, 2);

        AssertHolds(first, 2);
        AssertHolds(second, 0);
    }

    [Fact]
    public async Task A_read_racing_Dispose_sees_everything_written_or_throws_ObjectDisposedException()
    {
        using var db = Db.Open(Directory);
        using (TStore writer = Open(db, Prefix))
        {
            PutItems(writer, 5);
        }

        for (int i = 0; i < 100; i++)
        {
            TStore store = Open(db, Prefix);
            Task reader = RaceAsync(() => AssertHolds(store, 5), out Func<bool> started);

            SpinWait.SpinUntil(() => started() || reader.IsCompleted, Bounded.Limit);
            store.Dispose();
            await reader.Within();
        }
    }

    [Fact]
    public async Task A_read_racing_Db_Dispose_sees_everything_written_or_throws_ObjectDisposedException()
    {
        using (var db = Db.Open(Directory))
        using (TStore writer = Open(db, Prefix))
        {
            PutItems(writer, 5);
        }

        for (int i = 0; i < 50; i++)
        {
            var db = Db.Open(Directory);
            TStore store = Open(db, Prefix);
            Task reader = RaceAsync(() => AssertHolds(store, 5), out Func<bool> started);

            SpinWait.SpinUntil(() => started() || reader.IsCompleted, Bounded.Limit);
            db.Dispose();
            await reader.Within();
            store.Dispose();
        }
    }

    [Fact]
    public async Task A_write_racing_Dispose_is_either_kept_or_throws_ObjectDisposedException()
    {
        using var db = Db.Open(Directory);
        int written = 0;
        for (int i = 0; i < 25; i++)
        {
            TStore store = Open(db, Prefix);
            Task writer = RaceAsync(
                () =>
                {
                    Put(store, written + 1);
                    written++;
                },
                out Func<bool> started);

            SpinWait.SpinUntil(() => started() || writer.IsCompleted, Bounded.Limit);
            store.Dispose();
            await writer.Within();
        }

        using TStore reopened = Open(db, Prefix);
        AssertHolds(reopened, written);
    }

    /// <summary>Writes items 1..<paramref name="count"/>.</summary>
    private void PutItems(TStore store, int count)
    {
        for (int item = 1; item <= count; item++)
        {
            Put(store, item);
        }
    }

    private void AssertEveryMemberThrowsObjectDisposed(TStore store)
    {
        var wrong = new List<string>();
        foreach ((string name, Action<TStore> call) in Members)
        {
            try
            {
                call(store);
                wrong.Add($"{name} returned");
            }
            catch (ObjectDisposedException)
            {
            }
#pragma warning disable CA1031 // any other outcome is reported by name
            catch (Exception error)
#pragma warning restore CA1031
            {
                wrong.Add($"{name} threw {error.GetType().Name}");
            }
        }

        Assert.True(wrong.Count == 0, "not ObjectDisposedException: " + string.Join("; ", wrong));
    }

    /// <summary>
    /// Runs <paramref name="step"/> over and over on a thread of its own (a busy thread pool cannot
    /// keep it from racing) until it throws <see cref="ObjectDisposedException"/>; any other
    /// exception faults the task. <paramref name="started"/> tells whether one step completed.
    /// </summary>
    private static Task RaceAsync(Action step, out Func<bool> started)
    {
        int steps = 0;
        started = () => Volatile.Read(ref steps) > 0;
        return Task.Factory.StartNew(
            () =>
            {
                while (true)
                {
                    try
                    {
                        step();
                        Interlocked.Increment(ref steps);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }
}
