using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary><see cref="Table.Delete"/> removes a name and its positions.</summary>
public sealed class TableDeleteTests
{
    [Theory]
    [WithAndWithoutCache]
    public void Delete_removes_the_name_and_its_positions(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 1, 2);

        host.Table.Delete("consumer");

        Assert.Empty(host.Table.Get("consumer"));
        Assert.Empty(host.Table.All());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Delete_leaves_the_other_names_as_they_were(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1);
        host.Table.Set("b", 2, 3);

        host.Table.Delete("a");

        Assert.Equal(["b"], host.Table.All().Keys);
        Assert.Equal([2UL, 3UL], host.Table.Get("b"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void Delete_of_a_name_never_set_does_nothing(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1);

        host.Table.Delete("missing");

        Assert.Equal(["a"], host.Table.All().Keys);
    }

    [Theory]
    [WithAndWithoutCache]
    public void A_deleted_name_can_be_set_again(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 1);
        host.Table.Delete("consumer");

        host.Table.Set("consumer", 7);

        Assert.Equal([7UL], host.Table.Get("consumer"));
    }
}
