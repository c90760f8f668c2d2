namespace Quasar.Tests.Sequences;

public class SequenceCompileTests
{
    private static ulong[] Compile(params (ulong Key, bool Marked)[] marks) =>
        Sequence.Compile(marks.ToDictionary(m => m.Key, m => m.Marked));

    [Fact]
    public void Compile_treats_adjacent_as_adjacent_keys_not_consecutive_numbers()
    {
        // The binding example from the API clarifications.
        Assert.Equal([20UL, 40UL], Compile((10, true), (20, true), (30, false), (40, true)));
    }

    [Fact]
    public void Compile_of_an_empty_table_is_empty()
    {
        Assert.Empty(Sequence.Compile(new Dictionary<ulong, bool>()));
    }

    [Fact]
    public void Compile_of_a_table_without_marks_is_empty()
    {
        Assert.Empty(Compile((10, false), (11, false), (12, false)));
    }

    [Fact]
    public void Compile_of_a_single_marked_key_is_that_key()
    {
        Assert.Equal([7UL], Compile((7, true)));
    }

    [Fact]
    public void Compile_of_a_single_unmarked_key_is_empty()
    {
        Assert.Empty(Compile((7, false)));
    }

    [Fact]
    public void Compile_prepends_the_key_before_an_unmarked_smallest_key()
    {
        Assert.Equal([9UL, 20UL], Compile((10, false), (20, true)));
    }

    [Fact]
    public void Compile_prepends_zero_when_the_unmarked_smallest_key_is_one()
    {
        Assert.Equal([0UL, 2UL], Compile((1, false), (2, true)));
    }

    [Fact]
    public void Compile_does_not_collapse_marked_runs_after_an_unmarked_smallest_key()
    {
        Assert.Equal([9UL, 20UL, 30UL, 40UL], Compile((10, false), (20, true), (30, true), (40, true)));
    }

    [Fact]
    public void Compile_collapses_a_fully_marked_table_into_its_largest_key()
    {
        Assert.Equal([3UL], Compile((1, true), (2, true), (3, true)));
    }

    [Fact]
    public void Compile_collapses_the_leading_marked_run_into_its_last_key()
    {
        Assert.Equal([3UL, 6UL], Compile((1, true), (2, true), (3, true), (4, false), (5, false), (6, true)));
    }

    [Fact]
    public void Compile_collapses_a_leading_run_of_keys_far_apart()
    {
        Assert.Equal([100UL, 2000UL], Compile((5, true), (100, true), (1000, false), (2000, true)));
    }

    [Fact]
    public void Compile_does_not_collapse_marked_runs_after_the_first_unmarked_key()
    {
        Assert.Equal([1UL, 3UL, 4UL, 5UL], Compile((1, true), (2, false), (3, true), (4, true), (5, true)));
    }

    [Fact]
    public void Compile_drops_unmarked_keys_after_the_leading_run()
    {
        Assert.Equal([2UL, 5UL], Compile((1, true), (2, true), (3, false), (4, false), (5, true), (6, false)));
    }

    [Fact]
    public void Compile_does_not_depend_on_insertion_order()
    {
        var marks = new Dictionary<ulong, bool> { [40] = true, [30] = false, [20] = true, [10] = true };

        Assert.Equal([20UL, 40UL], Sequence.Compile(marks));
    }

    [Fact]
    public void Compile_accepts_any_read_only_dictionary()
    {
        var marks = new SortedList<ulong, bool> { [10] = false, [11] = true };

        Assert.Equal([9UL, 11UL], Sequence.Compile(marks));
    }

    [Fact]
    public void Compile_rejects_an_unmarked_smallest_key_of_zero_when_some_key_is_marked()
    {
        Assert.Throws<ArgumentException>(() => Compile((0, false), (1, true)));
    }

    [Fact]
    public void Compile_of_an_unmarked_zero_key_without_any_marks_is_empty()
    {
        Assert.Empty(Compile((0, false), (1, false)));
    }

    [Fact]
    public void Compile_accepts_a_marked_smallest_key_of_zero()
    {
        Assert.Equal([0UL, 2UL], Compile((0, true), (1, false), (2, true)));
    }

    [Fact]
    public void Compile_handles_the_max_value_as_a_key()
    {
        Assert.Equal([0UL, ulong.MaxValue], Compile((1, false), (ulong.MaxValue, true)));
        Assert.Equal([ulong.MaxValue], Compile((ulong.MaxValue - 1, true), (ulong.MaxValue, true)));
    }

    [Fact]
    public void Compile_does_not_modify_the_table()
    {
        var marks = new Dictionary<ulong, bool> { [3] = true, [1] = false, [2] = true };

        Sequence.Compile(marks);

        Assert.Equal(3, marks.Count);
        Assert.False(marks[1]);
        Assert.True(marks[2]);
        Assert.True(marks[3]);
    }

    [Fact]
    public void Compile_rejects_a_null_table()
    {
        Assert.Throws<ArgumentNullException>(() => Sequence.Compile(null!));
    }
}
