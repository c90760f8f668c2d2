using System.Globalization;
using System.Text;

namespace Quasar.Tests.Golden;

/// <summary>
/// Runs the script of a golden case against a database directory. One operation a line; blank
/// lines and lines starting with <c>#</c> are skipped. Every value is explicit (sequences,
/// payloads, positions), so the files left behind are the same on every run:
/// <code>
/// open [segment-size=N] [sync-writes=true]     Db.Open (closed again by 'close' or at the end)
/// close                                        Db.Dispose
/// ledger.open PREFIX [cache=N]                 Ledger.Open
/// ledger.write PREFIX SEQ=PAYLOAD ...          one Ledger.Write (one batch) of the entries
/// ledger.delete PREFIX SEQ                     Ledger.Delete
/// ledger.close PREFIX                          Ledger.Dispose
/// table.open PREFIX [cache=true]               Table.Open
/// table.set PREFIX NAME POSITION ...           Table.Set; a position may be a range FIRST..LAST
/// table.delete PREFIX NAME                     Table.Delete
/// table.close PREFIX                           Table.Dispose
/// </code>
/// A payload is <c>"text"</c> (UTF-8, no spaces) or <c>HH*N</c>: the byte 0xHH, N times.
/// </summary>
public sealed class GoldenScript : IDisposable
{
    private readonly string directory;
    private readonly Dictionary<string, Ledger> ledgers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Table> tables = new(StringComparer.Ordinal);
    private Db? db;

    private GoldenScript(string directory) => this.directory = directory;

    /// <summary>Runs <paramref name="script"/> in <paramref name="directory"/> and closes the database if the script left it open.</summary>
    /// <exception cref="FormatException">A line is not an operation of the list above (the message names the line).</exception>
    public static void Run(IReadOnlyList<string> script, string directory)
    {
        using var run = new GoldenScript(directory);
        for (int i = 0; i < script.Count; i++)
        {
            string line = script[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                run.Execute(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            catch (Exception error) when (error is FormatException or KeyNotFoundException or IndexOutOfRangeException)
            {
                throw new FormatException($"golden script line {i + 1} '{line}': {error.Message}", error);
            }
        }
    }

    /// <summary>Closes the database if the script left it open (closing its ledgers and tables).</summary>
    public void Dispose() => db?.Dispose();

    /// <summary>The open database; a script line that needs one before 'open' is a script error.</summary>
    private Db Db => db ?? throw new FormatException("no database is open ('open' first)");

    /// <summary>Performs one operation, given as its words.</summary>
    private void Execute(string[] words)
    {
        switch (words[0])
        {
            case "open":
                db = Db.Open(directory, new DbOptions
                {
                    SegmentSize = Option(words, "segment-size", new DbOptions().SegmentSize),
                    SyncWrites = Option(words, "sync-writes", 0) == 1,
                });
                break;
            case "close":
                Db.Dispose();
                db = null;
                ledgers.Clear();
                tables.Clear();
                break;
            case "ledger.open":
                ledgers.Add(words[1], Ledger.Open(Db, new LedgerOptions { Prefix = words[1], Cache = (int)Option(words, "cache", 0) }));
                break;
            case "ledger.write":
                ledgers[words[1]].Write([.. words[2..].Select(ParseEntry)]);
                break;
            case "ledger.delete":
                ledgers[words[1]].Delete(ulong.Parse(words[2], CultureInfo.InvariantCulture));
                break;
            case "ledger.close":
                ledgers[words[1]].Dispose();
                ledgers.Remove(words[1]);
                break;
            case "table.open":
                tables.Add(words[1], Table.Open(Db, new TableOptions { Prefix = words[1], Cache = Option(words, "cache", 0) == 1 }));
                break;
            case "table.set":
                tables[words[1]].Set(words[2], [.. words[3..].SelectMany(ParsePositions)]);
                break;
            case "table.delete":
                tables[words[1]].Delete(words[2]);
                break;
            case "table.close":
                tables[words[1]].Dispose();
                tables.Remove(words[1]);
                break;
            default:
                throw new FormatException($"unknown operation '{words[0]}'");
        }
    }

    /// <summary>The value of <c>key=value</c> among <paramref name="words"/> (true/false count as 1/0), or <paramref name="absent"/>.</summary>
    private static long Option(string[] words, string key, long absent)
    {
        string? word = words.FirstOrDefault(w => w.StartsWith(key + "=", StringComparison.Ordinal));
        return word?[(key.Length + 1)..] switch
        {
            null => absent,
            "true" => 1,
            "false" => 0,
            string value => long.Parse(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An entry written as <c>SEQ=PAYLOAD</c>.</summary>
    private static Entry ParseEntry(string word)
    {
        int equals = word.IndexOf('=', StringComparison.Ordinal);
        ulong sequence = ulong.Parse(word.AsSpan(0, equals), CultureInfo.InvariantCulture);
        return new Entry(sequence, ParsePayload(word[(equals + 1)..]));
    }

    /// <summary>The bytes of <c>"text"</c> or <c>HH*N</c>.</summary>
    private static byte[] ParsePayload(string payload)
    {
        if (payload.Length >= 2 && payload[0] == '"' && payload[^1] == '"')
        {
            return Encoding.UTF8.GetBytes(payload[1..^1]);
        }

        string[] repeat = payload.Split('*');
        if (repeat.Length != 2)
        {
            throw new FormatException($"payload '{payload}' is neither \"text\" nor HH*N");
        }

        byte value = byte.Parse(repeat[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return Enumerable.Repeat(value, int.Parse(repeat[1], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>One position, or every position of the range <c>FIRST..LAST</c>.</summary>
    private static IEnumerable<ulong> ParsePositions(string word)
    {
        int dots = word.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            return [ulong.Parse(word, CultureInfo.InvariantCulture)];
        }

        ulong first = ulong.Parse(word.AsSpan(0, dots), CultureInfo.InvariantCulture);
        ulong last = ulong.Parse(word.AsSpan(dots + 2), CultureInfo.InvariantCulture);
        return Enumerable.Range(0, checked((int)(last - first + 1))).Select(i => first + (ulong)i);
    }
}
