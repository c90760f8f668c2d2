using System.Buffers.Binary;
using System.Text;

namespace Quasar.Hosting;

/// <summary>
/// An entry a hosted consumer gave up on, as stored in the queue's dead-letter ledger
/// <c>&lt;prefix&gt;:dead</c> (read it with <see cref="QuasarQueues.GetDeadLetters"/> and <see cref="Decode"/>).
/// The stored payload is, little-endian: a format byte (1); the original sequence (8 bytes);
/// the attempts made (4 bytes); the consumer name's UTF-8 length (4 bytes) and bytes; the error
/// text's UTF-8 length (4 bytes) and bytes; then the original payload unchanged to the end.
/// </summary>
/// <param name="Sequence">The entry's sequence in the queue.</param>
/// <param name="Consumer">The consumer whose handler failed.</param>
/// <param name="Attempts">How many times the handler was called.</param>
/// <param name="Error">The last failure: the exception's type and message.</param>
/// <param name="Payload">The entry's original payload.</param>
public sealed record DeadLetter(ulong Sequence, string Consumer, int Attempts, string Error, ReadOnlyMemory<byte> Payload)
{
    private const byte Format = 1;

    /// <summary>The stored form described on <see cref="DeadLetter"/>.</summary>
    /// <returns>The bytes written to the dead-letter ledger.</returns>
    public byte[] Encode()
    {
        byte[] consumer = Encoding.UTF8.GetBytes(Consumer);
        byte[] error = Encoding.UTF8.GetBytes(Error);
        byte[] result = new byte[1 + 8 + 4 + 4 + consumer.Length + 4 + error.Length + Payload.Length];
        Span<byte> rest = result;
        rest[0] = Format;
        BinaryPrimitives.WriteUInt64LittleEndian(rest[1..], Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(rest[9..], Attempts);
        rest = rest[13..];
        rest = WriteText(rest, consumer);
        rest = WriteText(rest, error);
        Payload.Span.CopyTo(rest);
        return result;
    }

    /// <summary>Reads an entry of a dead-letter ledger.</summary>
    /// <param name="entry">The stored entry.</param>
    /// <returns>The dead letter it holds.</returns>
    /// <exception cref="FormatException">The payload is not in the stored form.</exception>
    public static DeadLetter Decode(Entry entry)
    {
        ReadOnlyMemory<byte> rest = entry.Payload;
        if (rest.Length < 13 || rest.Span[0] != Format)
        {
            throw new FormatException($"Dead letter {entry.Sequence} does not start with format {Format} and its header.");
        }

        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(rest.Span[1..]);
        int attempts = BinaryPrimitives.ReadInt32LittleEndian(rest.Span[9..]);
        rest = rest[13..];
        string consumer = ReadText(ref rest, entry.Sequence);
        string error = ReadText(ref rest, entry.Sequence);
        return new DeadLetter(sequence, consumer, attempts, error, rest);
    }

    private static Span<byte> WriteText(Span<byte> destination, byte[] text)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, text.Length);
        text.CopyTo(destination[4..]);
        return destination[(4 + text.Length)..];
    }

    private static string ReadText(ref ReadOnlyMemory<byte> rest, ulong deadSequence)
    {
        int length = rest.Length < 4 ? -1 : BinaryPrimitives.ReadInt32LittleEndian(rest.Span);
        if (length < 0 || length > rest.Length - 4)
        {
            throw new FormatException($"Dead letter {deadSequence} has a text length that does not fit its payload.");
        }

        string text = Encoding.UTF8.GetString(rest.Span.Slice(4, length));
        rest = rest[(4 + length)..];
        return text;
    }
}
