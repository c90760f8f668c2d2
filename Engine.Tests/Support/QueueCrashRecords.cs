using System.Text;
using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>
/// The test's reader of one consumer's records file (<see cref="CrashProtocol.ConsumerRecordsPath"/>):
/// reads the complete lines appended since the last read, and cuts off a line a kill tore before
/// the next child appends to the file. A torn line was never synced whole, so its consumer never
/// marked its entry: dropping it loses nothing the checks rely on.
/// </summary>
public sealed class QueueCrashRecords(string path)
{
    /// <summary>Where the complete lines read so far end.</summary>
    public long Offset { get; private set; }

    /// <summary>The records (sequence and payload) of the complete lines appended since the last call, in file order.</summary>
    public List<(ulong Sequence, string Payload)> ReadNew()
    {
        var records = new List<(ulong Sequence, string Payload)>();
        if (!File.Exists(path))
        {
            return records;
        }

        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.Position = Offset;
            bytes = new byte[file.Length - Offset];
            file.ReadExactly(bytes);
        }

        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        foreach (string line in Encoding.ASCII.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(CrashProtocol.TryParseConsumerRecord(line, out ulong sequence, out string payload), $"{path}: malformed record '{line}'");
            records.Add((sequence, payload));
        }

        Offset += end;
        return records;
    }

    /// <summary>Cuts the file back to the complete lines read, so the next child appends after a whole line.</summary>
    public void DropTornLine()
    {
        if (File.Exists(path) && new FileInfo(path).Length > Offset)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(Offset);
        }
    }
}
