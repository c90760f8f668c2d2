namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// One change to a store's files, described relative to the store so that it prints readably and
/// applies to any copy. Offsets are raw numbers folded into the file's length when applied
/// (<see cref="At"/>), so one generator serves files of every size; what was actually done is
/// recorded in the <see cref="Damage"/>.
/// </summary>
public abstract record Mutation(string File)
{
    public const int PageSize = 4096;

    /// <summary>Applies the change to the store at <paramref name="store"/>; a change with nothing to act on (an empty or missing file) does nothing.</summary>
    internal abstract void Apply(string store, Damage damage);

    /// <summary>The offset <paramref name="raw"/> stands for in a file of <paramref name="length"/> bytes (counted from the end when <paramref name="fromEnd"/>).</summary>
    private protected static long At(long raw, bool fromEnd, long length) =>
        fromEnd ? length - 1 - (raw % length) : raw % length;

    /// <summary>XORs one byte with a non-zero mask.</summary>
    public sealed record FlipByte(string File, long Raw, bool FromEnd, byte Mask) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string path = Path.Combine(store, File);
            long length = System.IO.File.Exists(path) ? new FileInfo(path).Length : 0;
            if (length == 0)
            {
                return;
            }

            long offset = At(Raw, FromEnd, length);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = offset;
                int value = file.ReadByte();
                file.Position = offset;
                file.WriteByte((byte)(value ^ Mask));
            }

            damage.Changed(File, offset, offset + 1, $"flip byte {offset} of {File} with 0x{Mask:x2}");
        }
    }

    /// <summary>Cuts the file at an offset (0 included: an empty file).</summary>
    public sealed record Truncate(string File, long Raw, bool FromEnd) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string path = Path.Combine(store, File);
            if (!System.IO.File.Exists(path))
            {
                return;
            }

            long length = new FileInfo(path).Length;
            long cut = length == 0 ? 0 : At(Raw, FromEnd, length + 1);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                file.SetLength(Math.Min(cut, length));
            }

            damage.Truncated(File, Math.Min(cut, length), $"truncate {File} from {length} to {Math.Min(cut, length)} bytes");
        }
    }

    /// <summary>Zeroes the 4 KiB page holding an offset (up to the end of the file).</summary>
    public sealed record ZeroPage(string File, long Raw) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string path = Path.Combine(store, File);
            long length = System.IO.File.Exists(path) ? new FileInfo(path).Length : 0;
            if (length == 0)
            {
                return;
            }

            long start = At(Raw, false, length) / PageSize * PageSize;
            long end = Math.Min(start + PageSize, length);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = start;
                file.Write(new byte[end - start]);
            }

            damage.Changed(File, start, end, $"zero bytes {start}..{end} of {File}");
        }
    }

    /// <summary>Appends bytes (random, or zeros as a power loss leaves them) to the file.</summary>
    public sealed record AppendGarbage(string File, byte[] Bytes) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string path = Path.Combine(store, File);
            if (!System.IO.File.Exists(path))
            {
                return;
            }

            long length = new FileInfo(path).Length;
            using (var file = new FileStream(path, FileMode.Append, FileAccess.Write))
            {
                file.Write(Bytes);
            }

            damage.Changed(File, length, Damage.ToTheEnd, $"append {Bytes.Length} bytes ({(Bytes.All(b => b == 0) ? "zeros" : "random")}) to {File} at {length}");
        }

        public override string ToString() => $"AppendGarbage {{ File = {File}, Bytes = {Bytes.Length} }}";
    }

    public sealed record DeleteFile(string File) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string path = Path.Combine(store, File);
            if (System.IO.File.Exists(path))
            {
                System.IO.File.Delete(path);
                damage.Deleted(File, $"delete {File}");
            }
        }
    }

    /// <summary>Swaps the names of two files (two segments' data, or two indexes).</summary>
    public sealed record SwapNames(string File, string Other) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string first = Path.Combine(store, File);
            string second = Path.Combine(store, Other);
            if (File == Other || !System.IO.File.Exists(first) || !System.IO.File.Exists(second))
            {
                return;
            }

            string parked = first + ".swap";
            System.IO.File.Move(first, parked);
            System.IO.File.Move(second, first);
            System.IO.File.Move(parked, second);
            damage.Replaced(File, $"swap {File} and {Other}");
            damage.Replaced(Other, string.Empty);
        }
    }

    /// <summary>Copies a file under another name, over an existing file (another segment's index, say) or as a new one.</summary>
    public sealed record CopyAs(string File, string Target) : Mutation(File)
    {
        internal override void Apply(string store, Damage damage)
        {
            string source = Path.Combine(store, File);
            if (File == Target || !System.IO.File.Exists(source))
            {
                return;
            }

            System.IO.File.Copy(source, Path.Combine(store, Target), overwrite: true);
            damage.Replaced(Target, $"copy {File} as {Target}");
        }
    }
}
