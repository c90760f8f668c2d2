using System.Buffers;
using System.Runtime.CompilerServices;

namespace Quasar;

/// <summary>
/// Codecs and generators for the 64-bit sequences that identify ledger entries.
/// </summary>
/// <remarks>
/// A generated sequence is <c>(unix seconds &lt;&lt; 32) | ordinal</c>, so sequences sort by time
/// and stay unique within a process. The text encodings are decimal ASCII: the padded form is
/// exactly <see cref="EncodedLength"/> bytes and sorts bytewise like the number it encodes.
/// </remarks>
public static partial class Sequence
{
    /// <summary>The length in bytes of a padded (non-compact) encoding.</summary>
    public const int EncodedLength = 20;

    private static long lastGenerated;

    /// <summary>
    /// Generates <paramref name="count"/> consecutive, locally monotonic sequences from the current
    /// time and returns the first of them. Thread-safe: no two calls return overlapping ranges and
    /// every call returns a value larger than the last sequence handed out by any earlier call.
    /// </summary>
    /// <param name="count">How many consecutive sequences to reserve (at least 1).</param>
    /// <returns>The first sequence of the reserved range.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is 0.</exception>
    public static ulong Generate(uint count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1u);
        ulong fresh = Join(DateTimeOffset.UtcNow, 1);
        while (true)
        {
            ulong last = (ulong)Volatile.Read(ref lastGenerated);
            // Within one second the ordinal keeps counting; a new second restarts it at 1.
            ulong first = fresh > last ? fresh : last + 1;
            ulong newLast = first + count - 1;
            if (Interlocked.CompareExchange(ref lastGenerated, (long)newLast, (long)last) == (long)last)
            {
                return first;
            }
        }
    }

    /// <summary>Builds a sequence from a timestamp (whole seconds, fractions truncated) and an ordinal.</summary>
    /// <param name="timestamp">A time between 1970-01-01 and 2106-02-07 (UTC).</param>
    /// <param name="ordinal">The low 32 bits of the sequence.</param>
    /// <returns><c>(unix seconds &lt;&lt; 32) | ordinal</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The unix seconds do not fit in 0..2^32-1.</exception>
    public static ulong Join(DateTimeOffset timestamp, uint ordinal)
    {
        long ticks = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "The timestamp lies before 1970-01-01T00:00:00Z.");
        }

        long seconds = ticks / TimeSpan.TicksPerSecond;
        if (seconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "The timestamp lies after 2106-02-07T06:28:15Z.");
        }

        return ((ulong)seconds << 32) | ordinal;
    }

    /// <summary>Splits a sequence into its timestamp (UTC, offset zero) and ordinal.</summary>
    /// <param name="sequence">Any sequence.</param>
    /// <returns>The whole-second timestamp of the high 32 bits and the ordinal of the low 32 bits.</returns>
    public static (DateTimeOffset Timestamp, uint Ordinal) Split(ulong sequence) =>
        (DateTimeOffset.FromUnixTimeSeconds((long)(sequence >> 32)), (uint)sequence);

    /// <summary>Writes the decimal ASCII form of <paramref name="sequence"/> into <paramref name="destination"/>.</summary>
    /// <param name="sequence">The value to encode.</param>
    /// <param name="destination">Where the digits go.</param>
    /// <param name="compact"><see langword="false"/>: exactly 20 zero-padded bytes; <see langword="true"/>: no padding.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int Encode(ulong sequence, Span<byte> destination, bool compact = false)
    {
        int length = compact ? CountDigits(sequence) : EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes but the encoding needs {length}.", nameof(destination));
        }

        WriteDigits(sequence, destination[..length]);
        return length;
    }

    /// <summary>Returns the decimal ASCII form of <paramref name="sequence"/> as a new array.</summary>
    /// <param name="sequence">The value to encode.</param>
    /// <param name="compact"><see langword="false"/>: exactly 20 zero-padded bytes; <see langword="true"/>: no padding.</param>
    /// <returns>The encoded bytes.</returns>
    public static byte[] Encode(ulong sequence, bool compact = false)
    {
        var bytes = new byte[compact ? CountDigits(sequence) : EncodedLength];
        WriteDigits(sequence, bytes);
        return bytes;
    }

    /// <summary>Decodes a sequence: 1 to 20 ASCII digits whose value fits in a <see cref="ulong"/>.</summary>
    /// <param name="source">The encoded bytes (padded or compact).</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="FormatException">The input is empty, too long, has a non-digit, or overflows; the message shows the input.</exception>
    public static ulong Decode(ReadOnlySpan<byte> source)
    {
        if (!TryDecode(source, out ulong sequence))
        {
            throw new FormatException($"Invalid sequence {Describe(source)}: expected 1 to 20 ASCII digits with a value of at most {ulong.MaxValue}.");
        }

        return sequence;
    }

    /// <summary>Decodes a sequence without throwing.</summary>
    /// <param name="source">The encoded bytes (padded or compact).</param>
    /// <param name="sequence">The decoded value, or 0 when the input is invalid.</param>
    /// <returns><see langword="true"/> when <paramref name="source"/> is 1 to 20 digits whose value fits.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> source, out ulong sequence)
    {
        sequence = 0;
        if (source.IsEmpty || source.Length > EncodedLength)
        {
            return false;
        }

        ulong value = 0;
        foreach (byte b in source)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            // Only the 20th digit can overflow; checked arithmetic would be slower on the hot path.
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        sequence = value;
        return true;
    }

    /// <summary>Encodes a list as comma separated compact sequences (<c>1,2,3</c>); an empty list gives empty bytes.</summary>
    /// <param name="sequences">The values, in the order they are written.</param>
    /// <returns>The encoded bytes.</returns>
    public static byte[] EncodeList(ReadOnlySpan<ulong> sequences)
    {
        var bytes = new byte[EncodedListLength(sequences)];
        WriteList(sequences, bytes);
        return bytes;
    }

    /// <summary>Encodes a list as comma separated compact sequences into <paramref name="writer"/>.</summary>
    /// <param name="sequences">The values, in the order they are written.</param>
    /// <param name="writer">Receives the bytes; nothing is written for an empty list.</param>
    public static void EncodeList(ReadOnlySpan<ulong> sequences, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (sequences.IsEmpty)
        {
            return;
        }

        int length = EncodedListLength(sequences);
        WriteList(sequences, writer.GetSpan(length));
        writer.Advance(length);
    }

    /// <summary>Decodes a comma separated list of compact or padded sequences; empty input gives an empty array.</summary>
    /// <param name="source">The encoded list.</param>
    /// <returns>The values in the order they appear.</returns>
    /// <exception cref="FormatException">An element is empty or not a valid sequence; the message shows the input.</exception>
    public static ulong[] DecodeList(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return [];
        }

        var result = new ulong[source.Count((byte)',') + 1];
        int index = 0;
        foreach (Range range in source.Split((byte)','))
        {
            if (!TryDecode(source[range], out result[index++]))
            {
                throw new FormatException($"Invalid sequence list {Describe(source)}: element {index - 1} is not 1 to 20 ASCII digits with a value of at most {ulong.MaxValue}.");
            }
        }

        return result;
    }

    private static int EncodedListLength(ReadOnlySpan<ulong> sequences)
    {
        int length = Math.Max(0, sequences.Length - 1);
        foreach (ulong sequence in sequences)
        {
            length += CountDigits(sequence);
        }

        return length;
    }

    private static void WriteList(ReadOnlySpan<ulong> sequences, Span<byte> destination)
    {
        int offset = 0;
        for (int i = 0; i < sequences.Length; i++)
        {
            if (i > 0)
            {
                destination[offset++] = (byte)',';
            }

            int digits = CountDigits(sequences[i]);
            WriteDigits(sequences[i], destination.Slice(offset, digits));
            offset += digits;
        }
    }

    private static ReadOnlySpan<ulong> PowersOfTen =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountDigits(ulong value)
    {
        if (value < 10)
        {
            return 1; // also covers 0, whose log2 the estimate below cannot use
        }

        // log10 estimated from log2 (1233/4096 ~ log10(2)), then corrected by one comparison.
        int estimate = ((System.Numerics.BitOperations.Log2(value) + 1) * 1233) >> 12;
        return estimate + (value >= PowersOfTen[estimate] ? 1 : 0);
    }

    private static void WriteDigits(ulong value, Span<byte> destination)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            (value, ulong digit) = Math.DivRem(value, 10);
            destination[i] = (byte)('0' + digit);
        }
    }

    /// <summary>Quotes (a prefix of) untrusted input for an error message.</summary>
    internal static string Describe(ReadOnlySpan<byte> source)
    {
        const int shown = 32;
        var text = new System.Text.StringBuilder(shown + 16);
        text.Append('"');
        foreach (byte b in source[..Math.Min(source.Length, shown)])
        {
            if (b is >= 0x20 and < 0x7f)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        text.Append('"');
        if (source.Length > shown)
        {
            text.Append("... (").Append(source.Length).Append(" bytes)");
        }

        return text.ToString();
    }
}
