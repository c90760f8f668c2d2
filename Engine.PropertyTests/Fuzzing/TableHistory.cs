using System.Text;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// What was written to the table of the <see cref="BaseStore"/>: the live map after each record
/// and where each record ends in <c>table.log</c> (FORMAT.md: a 32-byte header, then records of an
/// 8-byte frame, kind, name length, name and, for a set, a count and the positions). Small enough
/// that no rewrite happens, so record k of the file is operation k.
/// </summary>
internal sealed record TableHistory(string Prefix)
{
    public const int HeaderSize = 32;

    private readonly List<IReadOnlyDictionary<string, ulong[]>> states = [new Dictionary<string, ulong[]>()];
    private readonly List<long> ends = [HeaderSize];

    /// <summary>The table file relative to the store.</summary>
    public string File => Path.Combine("table-" + Prefix, "table.log");

    /// <summary>The live map after the first k records (k = 0: empty).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, ulong[]>> States => states;

    /// <summary>Where the first k records end (k = 0: the header's end).</summary>
    public IReadOnlyList<long> Ends => ends;

    /// <summary>Sets and deletes a few consumer-like names; every call writes one record.</summary>
    public void Write(Table table)
    {
        var random = new Random(12);
        for (int op = 0; op < 24; op++)
        {
            var current = new Dictionary<string, ulong[]>(states[^1], StringComparer.Ordinal);
            string name = $"consumer-{random.Next(0, 6)}{new string('x', random.Next(0, 20))}";
            if (current.ContainsKey(name) && random.Next(0, 4) == 0)
            {
                table.Delete(name);
                current.Remove(name);
                ends.Add(ends[^1] + 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name));
            }
            else
            {
                ulong[] positions = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => (ulong)random.NextInt64(1, long.MaxValue))];
                table.Set(name, positions);
                current[name] = positions;
                ends.Add(ends[^1] + 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name) + 4 + (8L * positions.Length));
            }

            states.Add(current);
        }
    }

    /// <summary>Checks that the file holds exactly the records this history expects (the format facts above).</summary>
    public void Settle(string store)
    {
        long length = new FileInfo(Path.Combine(store, File)).Length;
        if (length != ends[^1])
        {
            throw new InvalidOperationException($"table.log is {length} bytes, the history expects {ends[^1]}");
        }
    }
}
