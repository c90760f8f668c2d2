using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary>
/// <see cref="Table.Range"/>: the smallest first position and the largest last position over all
/// names (a cleaner may delete up to the smallest first position), not found when the table is empty.
/// </summary>
public sealed class TableRangeTests
{
    [Theory]
    [WithAndWithoutCache]
    public void Range_of_an_empty_table_is_not_found(bool cache)
    {
        using var host = new TableHost(cache);

        Assert.Equal((0UL, 0UL, false), host.Table.Range());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Range_of_one_name_is_its_first_and_last_position(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("consumer", 10, 14, 17);

        Assert.Equal((10UL, 17UL, true), host.Table.Range());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Range_looks_only_at_each_names_first_and_last_position(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("a", 5, 1);
        host.Table.Set("b", 3, 9, 2);

        // Min: the first positions are 5 and 3; Max: the last positions are 1 and 2.
        Assert.Equal((3UL, 2UL, true), host.Table.Range());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Range_counts_position_zero_like_any_other(bool cache)
    {
        using var host = new TableHost(cache);

        host.Table.Set("a", 0);
        host.Table.Set("b", 4, 6);

        Assert.Equal((0UL, 6UL, true), host.Table.Range());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Range_follows_Set_and_Delete(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1, 2);
        host.Table.Set("b", 7, 8);

        host.Table.Delete("a");
        Assert.Equal((7UL, 8UL, true), host.Table.Range());

        host.Table.Set("b", 20);
        Assert.Equal((20UL, 20UL, true), host.Table.Range());

        host.Table.Delete("b");
        Assert.Equal((0UL, 0UL, false), host.Table.Range());
    }
}
