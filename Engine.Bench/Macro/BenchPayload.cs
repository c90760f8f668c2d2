using System.Buffers.Binary;

namespace Quasar.Bench.Macro;

/// <summary>The payload of BENCH.md: 8 bytes big-endian value, then 92 letters 'a' + (i + value) % 26.</summary>
public static class BenchPayload
{
    public const int Length = 100;

    /// <summary>"abc...z" repeated: the 92 letters for value v are the slice starting at v % 26.</summary>
    private static ReadOnlySpan<byte> Letters => "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"u8;

    public static void Write(Span<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, value);
        Letters.Slice((int)(value % 26), Length - 8).CopyTo(destination[8..]);
    }

    /// <summary>The value in a payload's first 8 bytes (big-endian).</summary>
    public static ulong ReadValue(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt64BigEndian(payload);

    /// <summary>Throws unless <paramref name="payload"/> is a bench payload carrying <paramref name="expected"/>.</summary>
    public static void Verify(ReadOnlySpan<byte> payload, ulong expected)
    {
        if (payload.Length != Length || ReadValue(payload) != expected)
        {
            throw new InvalidOperationException($"payload of {payload.Length} bytes carries {(payload.Length >= 8 ? ReadValue(payload) : 0)}, expected {expected}");
        }
    }

    /// <summary>Fills <paramref name="entries"/> with sequences first.. and payloads built into one reused buffer.</summary>
    public static void FillBatch(Entry[] entries, byte[] buffer, ulong first)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            ulong sequence = first + (ulong)i;
            Memory<byte> payload = buffer.AsMemory(i * Length, Length);
            Write(payload.Span, sequence);
            entries[i] = new Entry(sequence, payload);
        }
    }
}
