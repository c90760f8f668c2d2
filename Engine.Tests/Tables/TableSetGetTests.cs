using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary><see cref="Table.Set"/> stores a name's positions, <see cref="Table.Get"/> returns a copy of them.</summary>
public sealed class TableSetGetTests
{
    [Theory]
    [WithAndWithoutCache]
    public void Get_of_a_name_never_set_returns_an_empty_array(bool cache)
    {
        using var host = new TableHost(cache);

        Assert.Empty(host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Get_returns_the_positions_in_the_order_they_were_set(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("consumer", 30, 10, 20);

        Assert.Equal([30UL, 10UL, 20UL], host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Set_replaces_everything_the_name_held(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 1, 2, 3, 4);

        host.Table.Set("consumer", 9);

        Assert.Equal([9UL], host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Set_with_no_positions_changes_nothing(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 5, 6);

        host.Table.Set("consumer");
        host.Table.Set("other", []);

        Assert.Equal([5UL, 6UL], host.Table.Get("consumer"));
        Assert.Equal(["consumer"], host.Table.All().Keys);
    }

    [Theory]
    [WithAndWithoutCache]
    public void Position_zero_and_the_largest_position_are_stored_like_any_other(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("consumer", 0, ulong.MaxValue, 0);

        Assert.Equal([0UL, ulong.MaxValue, 0UL], host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Names_differing_only_in_case_are_different_names(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("consumer", 1);
        host.Table.Set("Consumer", 2);

        Assert.Equal([1UL], host.Table.Get("consumer"));
        Assert.Equal([2UL], host.Table.Get("Consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void A_name_of_any_Unicode_text_up_to_1024_UTF8_bytes_is_stored(bool cache)
    {
        using var host = new TableHost(cache);
        string unicode = "naïve-消費者-🚀";
        string longest = new('é', 512); // two UTF-8 bytes each

        host.Table.Set(unicode, 1);
        host.Table.Set(longest, 2);

        Assert.Equal([1UL], host.Table.Get(unicode));
        Assert.Equal([2UL], host.Table.Get(longest));
    }

    [Theory]
    [WithAndWithoutCache]
    public void A_name_holds_a_hundred_thousand_positions(bool cache)
    {
        using var host = new TableHost(cache);
        ulong[] positions = [.. Enumerable.Range(0, 100_000).Select(i => (ulong)i * 3)];

        host.Table.Set("bulk", positions);

        Assert.Equal(positions, host.Table.Get("bulk"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Changing_the_array_Get_returned_changes_nothing_in_the_table(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 1, 2);

        ulong[] copy = host.Table.Get("consumer");
        copy[0] = 99;

        Assert.Equal([1UL, 2UL], host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void The_array_given_to_Set_may_be_reused_once_Set_returns(bool cache)
    {
        using var host = new TableHost(cache);
        ulong[] positions = [1, 2];

        host.Table.Set("consumer", positions);
        positions[0] = 99;

        Assert.Equal([1UL, 2UL], host.Table.Get("consumer"));
    }

    [Theory]
    [WithAndWithoutCache]
    public async Task Sets_of_different_names_from_many_threads_are_all_kept(bool cache)
    {
        using var host = new TableHost(cache);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                host.Table.Set($"t{thread}-{i}", (ulong)thread, (ulong)i);
            }
        }))).Within();

        IReadOnlyDictionary<string, ulong[]> all = host.Table.All();
        Assert.Equal(8 * 50, all.Count);
        Assert.Equal([3UL, 49UL], all["t3-49"]);
    }
}
