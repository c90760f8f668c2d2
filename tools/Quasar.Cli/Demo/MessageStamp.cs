using System.Buffers.Binary;

namespace Quasar.Cli.Demo;

/// <summary>
/// The demo's payload header: when the message was due to be sent (a <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp, so the consumer's latency is end to end through the engine), which run sent it (so a
/// resumed consumer tells an earlier run's leftovers from this run's messages), and its number in
/// that run (so a consumer can tell that it received every one). The rest of the payload is filler.
/// </summary>
/// <param name="SentAt">Stopwatch timestamp of the intended send time.</param>
/// <param name="Run">The sending run's random identifier.</param>
/// <param name="Number">The message's number in its run, from 0.</param>
internal readonly record struct MessageStamp(long SentAt, ulong Run, long Number)
{
    /// <summary>Bytes the header takes at the start of every payload.</summary>
    public const int Length = 24;

    /// <summary>Writes the header into the first <see cref="Length"/> bytes of <paramref name="payload"/>.</summary>
    /// <param name="payload">The payload, at least <see cref="Length"/> bytes.</param>
    public void WriteTo(Span<byte> payload)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, SentAt);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], Run);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], Number);
    }

    /// <summary>Reads a header; false for a payload too short to carry one (not written by the demo).</summary>
    /// <param name="payload">A received payload.</param>
    /// <param name="stamp">The header read.</param>
    /// <returns>Whether the payload carried a header.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out MessageStamp stamp)
    {
        if (payload.Length < Length)
        {
            stamp = default;
            return false;
        }

        stamp = new MessageStamp(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]));
        return true;
    }
}
