using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// FsCheck generators of mutations over the files of a <see cref="BaseStore"/>: byte flips,
/// truncations, zeroed pages, appended garbage, deletions, swapped names and copies under another
/// name. Offsets favour the first and last bytes of a file, where the headers and the torn-tail
/// logic live.
/// </summary>
internal static class MutationGen
{
    /// <summary>One to three mutations of the store's files.</summary>
    public static Gen<Mutation[]> Of(BaseStore store)
    {
        Gen<Mutation> one = Gen.Elements(store.Files.ToArray()).SelectMany(file => For(store, file));
        return Gen.Frequency((6, one.ArrayOf(1)), (2, one.ArrayOf(2)), (1, one.ArrayOf(3)));
    }

    private static Gen<Mutation> For(BaseStore store, string file)
    {
        string[] siblings = [.. store.Files.Where(f => f != file && Path.GetDirectoryName(f) == Path.GetDirectoryName(file) && Path.GetExtension(f) == Path.GetExtension(file))];
        Gen<long> raw = Gen.Frequency((3, Gen.Choose(0, 80).Select(x => (long)x)), (2, Gen.Choose(0, 1 << 20).Select(x => (long)x)));
        var choices = new List<(int, Gen<Mutation>)>
        {
            (30, from r in raw from end in Gen.Elements(false, true) from mask in Gen.Elements<byte>(0x01, 0x80, 0xFF, 0x10, 0x5A) select (Mutation)new Mutation.FlipByte(file, r, end, mask)),
            (18, from r in raw from end in Gen.Elements(false, true) select (Mutation)new Mutation.Truncate(file, r, end)),
            (8, raw.Select(r => (Mutation)new Mutation.ZeroPage(file, r))),
            (8, Garbage.Select(bytes => (Mutation)new Mutation.AppendGarbage(file, bytes))),
            (6, Gen.Constant((Mutation)new Mutation.DeleteFile(file))),
            (8, Gen.Elements(CopyTargets(file, siblings)).Select(target => (Mutation)new Mutation.CopyAs(file, target))),
        };
        if (siblings.Length > 0)
        {
            choices.Add((8, Gen.Elements(siblings).Select(other => (Mutation)new Mutation.SwapNames(file, other))));
        }

        return Gen.Frequency(choices.ToArray());
    }

    /// <summary>Bytes to append: zeros (a power loss's zero-filled tail) or random, short or a page and more.</summary>
    private static Gen<byte[]> Garbage { get; } =
        from zeros in Gen.Elements(false, true)
        from length in Gen.Frequency((3, Gen.Choose(1, 64)), (1, Gen.Choose(65, 5000)))
        from seed in Gen.Choose(0, int.MaxValue)
        select zeros ? new byte[length] : RandomBytes(seed, length);

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Names to copy a file as: over a sibling of its kind, a leftover-rewrite name, and for a segment new names before, among and after the others.</summary>
    private static string[] CopyTargets(string file, string[] siblings)
    {
        string directory = Path.GetDirectoryName(file) ?? string.Empty;
        var targets = new List<string>(siblings) { file + ".tmp" };
        if (ulong.TryParse(Path.GetFileNameWithoutExtension(file), out ulong baseSequence))
        {
            string extension = Path.GetExtension(file);
            foreach (ulong other in new[] { 0UL, baseSequence + 1, baseSequence - 1, 99_999_999UL })
            {
                targets.Add(Path.Combine(directory, other.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + extension));
            }
        }

        return [.. targets.Distinct(StringComparer.Ordinal).Where(t => t != file)];
    }
}
