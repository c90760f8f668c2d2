using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Quasar.PropertyTests;

/// <summary>
/// An FsCheck property whose number of runs comes from the <c>QUASAR_PROPERTY_RUNS</c>
/// environment variable (default 100, FsCheck's own default).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QuasarPropertyAttribute() : KnobPropertyAttribute("QUASAR_PROPERTY_RUNS", 100);

/// <summary>Generators shared by the property classes.</summary>
internal static class Generators
{
    private static readonly ulong[] EdgeValues =
    [
        0, 1, 9, 10, 99, 100, uint.MaxValue, (ulong)uint.MaxValue + 1,
        9_999_999_999_999_999_999, 10_000_000_000_000_000_000, ulong.MaxValue - 1, ulong.MaxValue,
    ];

    /// <summary>Uniformly random 64 bits.</summary>
    public static Gen<ulong> Bits64 { get; } =
        from a in Gen.Choose(0, 0xFFFF)
        from b in Gen.Choose(0, 0xFFFF)
        from c in Gen.Choose(0, 0xFFFF)
        from d in Gen.Choose(0, 0xFFFF)
        select ((ulong)(uint)a << 48) | ((ulong)(uint)b << 32) | ((ulong)(uint)c << 16) | (uint)d;

    /// <summary>
    /// Any ulong, spread over every magnitude (random bits shifted right by 0..63) with the
    /// digit-count and range boundaries mixed in.
    /// </summary>
    public static Gen<ulong> AnyULong { get; } = Gen.Frequency(
        (1, Gen.Elements(EdgeValues)),
        (4, from bits in Bits64 from shift in Gen.Choose(0, 63) select bits >> shift),
        (1, Gen.Choose(0, 30).Select(x => (ulong)x)));

    public static IEnumerable<ulong> ShrinkULong(ulong value)
    {
        if (value == 0)
        {
            yield break;
        }

        yield return 0;
        if (value / 2 != 0)
        {
            yield return value / 2;
        }

        if (value - 1 != 0 && value - 1 != value / 2)
        {
            yield return value - 1;
        }
    }

    public static Arbitrary<ulong> ULong { get; } = Arb.From(AnyULong, ShrinkULong);

    public static Arbitrary<ulong[]> ULongArray { get; } = Arb.From(Gen.ArrayOf(AnyULong), ShrinkArray);

    /// <summary>Shrinks an array by dropping one element, then by shrinking one element.</summary>
    public static IEnumerable<ulong[]> ShrinkArray(ulong[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            yield return [.. values[..i], .. values[(i + 1)..]];
        }

        for (int i = 0; i < values.Length; i++)
        {
            foreach (ulong smaller in ShrinkULong(values[i]))
            {
                ulong[] copy = [.. values];
                copy[i] = smaller;
                yield return copy;
            }
        }
    }
}
