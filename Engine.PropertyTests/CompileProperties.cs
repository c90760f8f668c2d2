using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests;

/// <summary>A mark table as a list of (key, marked) pairs, so that it prints and shrinks readably.</summary>
public sealed record MarkTable(IReadOnlyList<(ulong Key, bool Marked)> Marks)
{
    public Dictionary<ulong, bool> ToDictionary()
    {
        var table = new Dictionary<ulong, bool>();
        foreach (var (key, marked) in Marks)
        {
            table[key] = marked; // a later duplicate key wins
        }

        return table;
    }

    public override string ToString() =>
        "{" + string.Join(", ", ToDictionary().OrderBy(m => m.Key).Select(m => $"{m.Key}:{(m.Value ? 'T' : 'F')}")) + "}";
}

public class CompileProperties
{
    /// <summary>
    /// Keys close together (a base plus 0..15) so that leading and later runs form; the base is
    /// sometimes 0 (to reach the unmarked-zero case), sometimes 1, and sometimes near ulong.MaxValue.
    /// </summary>
    private static readonly Gen<MarkTable> Tables =
        from keyBase in Gen.Frequency(
            (2, Gen.Constant(0UL)),
            (2, Gen.Constant(1UL)),
            (4, Gen.Choose(2, 1_000).Select(x => (ulong)x)),
            (1, Gen.Choose(0, 15).Select(x => ulong.MaxValue - (ulong)x)))
        from marks in Gen.ListOf(
            from offset in Gen.Choose(0, 15)
            from marked in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
            select (keyBase > ulong.MaxValue - 15 ? keyBase - (ulong)offset : keyBase + (ulong)offset, marked))
        select new MarkTable(marks);

    private static IEnumerable<MarkTable> Shrink(MarkTable table)
    {
        for (int i = 0; i < table.Marks.Count; i++)
        {
            yield return new MarkTable([.. table.Marks.Take(i), .. table.Marks.Skip(i + 1)]);
        }

        for (int i = 0; i < table.Marks.Count; i++)
        {
            if (!table.Marks[i].Marked)
            {
                var copy = table.Marks.ToList();
                copy[i] = (copy[i].Key, true);
                yield return new MarkTable(copy);
            }
        }
    }

    private static readonly Arbitrary<MarkTable> Arbitrary = Arb.From(Tables, Shrink);

    /// <summary>
    /// The reference model, written from the description rather than from the engine's code.
    /// Returns null where Compile must throw ArgumentException.
    /// </summary>
    private static ulong[]? Model(IReadOnlyDictionary<ulong, bool> marks)
    {
        var sorted = marks.OrderBy(m => m.Key).ToList();
        if (!sorted.Exists(m => m.Value))
        {
            return [];
        }

        var leadingRun = sorted.TakeWhile(m => m.Value).ToList();
        IEnumerable<ulong> head;
        if (leadingRun.Count == 0)
        {
            if (sorted[0].Key == 0)
            {
                return null;
            }

            head = [sorted[0].Key - 1];
        }
        else
        {
            head = [leadingRun[^1].Key];
        }

        return [.. head, .. sorted.Skip(leadingRun.Count).Where(m => m.Value).Select(m => m.Key)];
    }

    [QuasarProperty]
    public Property Compile_matches_the_reference_model() =>
        Prop.ForAll(Arbitrary, table =>
        {
            var marks = table.ToDictionary();
            ulong[]? expected = Model(marks);
            if (expected is null)
            {
                Assert.Throws<ArgumentException>(() => Sequence.Compile(marks));
            }
            else
            {
                Assert.Equal(expected, Sequence.Compile(marks));
            }
        });

    [QuasarProperty]
    public Property Compile_output_is_strictly_ascending() =>
        Prop.ForAll(Arbitrary, table =>
        {
            var marks = table.ToDictionary();
            if (Model(marks) is null)
            {
                return;
            }

            ulong[] positions = Sequence.Compile(marks);
            for (int i = 1; i < positions.Length; i++)
            {
                Assert.True(positions[i - 1] < positions[i], $"positions [{string.Join(",", positions)}] are not strictly ascending");
            }
        });

    [QuasarProperty]
    public Property Compile_first_position_means_everything_up_to_it_is_marked() =>
        Prop.ForAll(Arbitrary, table =>
        {
            var marks = table.ToDictionary();
            if (Model(marks) is null)
            {
                return;
            }

            ulong[] positions = Sequence.Compile(marks);
            if (positions.Length == 0)
            {
                Assert.DoesNotContain(true, marks.Values);
                return;
            }

            ulong first = positions[0];
            Assert.All(marks.Where(m => m.Key <= first), m => Assert.True(m.Value, $"key {m.Key} <= first position {first} is unmarked"));
            var next = marks.Where(m => m.Key > first).OrderBy(m => m.Key).FirstOrDefault();
            if (next.Key != 0)
            {
                Assert.False(next.Value, $"first position {first} stops before the marked key {next.Key}");
            }
        });

    [QuasarProperty]
    public Property Compile_later_positions_are_exactly_the_marked_keys_above_the_first() =>
        Prop.ForAll(Arbitrary, table =>
        {
            var marks = table.ToDictionary();
            if (Model(marks) is null)
            {
                return;
            }

            ulong[] positions = Sequence.Compile(marks);
            if (positions.Length == 0)
            {
                return;
            }

            var expected = marks.Where(m => m.Value && m.Key > positions[0]).Select(m => m.Key).Order();
            Assert.Equal(expected, positions.Skip(1));
        });

    [QuasarProperty]
    public Property Compile_throws_ArgumentException_only_for_an_unmarked_zero_with_some_mark() =>
        Prop.ForAll(Arbitrary, table =>
        {
            var marks = table.ToDictionary();
            bool shouldThrow = marks.TryGetValue(0, out bool zeroMarked) && !zeroMarked && marks.ContainsValue(true);
            Exception? thrown = Record.Exception(() => Sequence.Compile(marks));
            if (shouldThrow)
            {
                Assert.IsType<ArgumentException>(thrown);
            }
            else
            {
                Assert.Null(thrown);
            }
        });
}
