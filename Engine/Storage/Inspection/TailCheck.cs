using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// Reads a ledger's tail record (FORMAT.md, "Tail file") as recovery does - the valid copy with
/// the highest generation wins - and reports each copy that is neither valid nor unwritten.
/// </summary>
internal static class TailCheck
{
    /// <summary>Reads the tail file in <paramref name="ledgerDirectory"/>, adding what is wrong with it to <paramref name="problems"/>.</summary>
    public static TailInfo Read(string ledgerDirectory, ProblemList problems)
    {
        string path = Path.Combine(ledgerDirectory, TailFile.FileName);
        if (!File.Exists(path))
        {
            return new TailInfo(path, 0, 0, 0);
        }

        using var file = new SynchronousFileStream(path);
        if (file.Length == 0)
        {
            return new TailInfo(path, 0, 0, 0);
        }

        Span<byte> copy = stackalloc byte[TailFile.RecordSize];
        (ulong Generation, ulong Tail)? best = null;
        int valid = 0;
        var damaged = new List<int>(2);
        var evidence = default(TailFile.CopyEvidence);
        foreach (int offset in (ReadOnlySpan<int>)[0, TailFile.SecondCopyOffset])
        {
            copy.Clear();
            file.Position = offset;
            file.ReadAtLeast(copy, copy.Length, throwOnEndOfStream: false);
            evidence.Observe(copy, offset, file.Length);
            try
            {
                if (TailFile.TryDecode(copy, path, offset, out ulong generation, out ulong tail))
                {
                    valid++;
                    best = best is null || generation > best.Value.Generation ? (generation, tail) : best;
                }
                else if (copy.ContainsAnyExcept((byte)0))
                {
                    damaged.Add(offset);
                }
            }
            catch (CorruptionException error)
            {
                problems.Error(path, error.Offset, error.Message);
            }
        }

        if (best is null && evidence.NoRecordCompleted)
        {
            problems.Warning(path, 0, "no tail record ever completed (the first write tore, or a power loss took every unsynced copy); recovery reads tail 0");
            return new TailInfo(path, 0, 0, 0);
        }

        if (best is null)
        {
            problems.Error(path, damaged.Count > 0 ? damaged[0] : 0, "no copy of the tail record is valid; recovery refuses to open the ledger");
            return new TailInfo(path, 0, 0, 0);
        }

        foreach (int offset in damaged)
        {
            problems.Warning(path, offset, $"the tail copy at offset {offset} is damaged (a torn write looks the same); recovery uses generation {best.Value.Generation}, tail {best.Value.Tail}");
        }

        return new TailInfo(path, best.Value.Tail, best.Value.Generation, valid);
    }
}
