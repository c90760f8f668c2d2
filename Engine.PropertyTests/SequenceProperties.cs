using System.Buffers;
using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests;

public class SequenceProperties
{
    private static readonly byte[] InterestingBytes = "0123456789,+- \t\n/:.x"u8.ToArray();

    /// <summary>Byte strings of length 0..25, mostly digits so that valid inputs and overflows happen.</summary>
    private static readonly Gen<byte[]> MostlyDigits =
        from length in Gen.Frequency((1, Gen.Choose(0, 3)), (3, Gen.Choose(17, 22)), (1, Gen.Choose(4, 25)))
        from bytes in Gen.ArrayOf(
            Gen.Frequency(
                (12, Gen.Choose('0', '9').Select(b => (byte)b)),
                (2, Gen.Elements(InterestingBytes)),
                (1, Gen.Choose(0, 255).Select(b => (byte)b))),
            length)
        select bytes;

    private static readonly Arbitrary<byte[]> ByteStrings = Arb.From(
        Gen.Frequency(
            (4, MostlyDigits),
            (1, Gen.Elements("18446744073709551615"u8.ToArray(), "18446744073709551616"u8.ToArray(), "00000000000000000000"u8.ToArray(), "000000000000000000000"u8.ToArray())),
            (1, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)))),
        ShrinkBytes);

    private static IEnumerable<byte[]> ShrinkBytes(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            yield return [.. bytes[..i], .. bytes[(i + 1)..]];
        }
    }

    /// <summary>An oracle written from the contract: 1 to 20 ASCII digits whose value fits in a ulong.</summary>
    private static ulong? ExpectedDecode(byte[] bytes)
    {
        if (bytes.Length is < 1 or > 20 || !bytes.All(b => b is >= (byte)'0' and <= (byte)'9'))
        {
            return null;
        }

        var value = BigInteger.Parse(System.Text.Encoding.ASCII.GetString(bytes), CultureInfo.InvariantCulture);
        return value <= ulong.MaxValue ? (ulong)value : null;
    }

    [QuasarProperty]
    public Property Padded_encoding_round_trips_for_every_ulong() =>
        Prop.ForAll(Generators.ULong, value =>
        {
            byte[] padded = Sequence.Encode(value);
            return padded.Length == Sequence.EncodedLength && Sequence.Decode(padded) == value;
        });

    [QuasarProperty]
    public Property Compact_encoding_round_trips_for_every_ulong() =>
        Prop.ForAll(Generators.ULong, value => Sequence.Decode(Sequence.Encode(value, compact: true)) == value);

    [QuasarProperty]
    public Property Compact_encoding_is_the_invariant_decimal_text() =>
        Prop.ForAll(Generators.ULong, value =>
            System.Text.Encoding.ASCII.GetString(Sequence.Encode(value, compact: true)) == value.ToString(CultureInfo.InvariantCulture));

    [QuasarProperty]
    public Property Compact_and_padded_encodings_decode_to_the_same_value() =>
        Prop.ForAll(Generators.ULong, value =>
            Sequence.Decode(Sequence.Encode(value, compact: true)) == Sequence.Decode(Sequence.Encode(value)));

    [QuasarProperty]
    public Property Span_encoding_writes_the_same_bytes_as_the_array_encoding() =>
        Prop.ForAll(Generators.ULong, value =>
        {
            Span<byte> destination = stackalloc byte[32];
            int padded = Sequence.Encode(value, destination);
            bool samePadded = destination[..padded].SequenceEqual(Sequence.Encode(value));
            int compact = Sequence.Encode(value, destination, compact: true);
            return samePadded && destination[..compact].SequenceEqual(Sequence.Encode(value, compact: true));
        });

    [QuasarProperty]
    public Property Padded_encodings_compare_bytewise_exactly_as_the_numbers_compare() =>
        Prop.ForAll(Generators.ULong, Generators.ULong, (a, b) =>
            Math.Sign(Sequence.Encode(a).AsSpan().SequenceCompareTo(Sequence.Encode(b))) == a.CompareTo(b));

    [QuasarProperty]
    public Property DecodeList_reverses_EncodeList() =>
        Prop.ForAll(Generators.ULongArray, values => Sequence.DecodeList(Sequence.EncodeList(values)).SequenceEqual(values));

    [QuasarProperty]
    public Property EncodeList_to_a_buffer_writer_writes_the_same_bytes_as_the_array_overload() =>
        Prop.ForAll(Generators.ULongArray, values =>
        {
            var writer = new ArrayBufferWriter<byte>(1);
            Sequence.EncodeList(values, writer);
            return writer.WrittenSpan.SequenceEqual(Sequence.EncodeList(values));
        });

    [QuasarProperty]
    public Property DecodeList_accepts_padded_elements() =>
        Prop.ForAll(Generators.ULongArray, values =>
        {
            byte[] padded = [.. string.Join(',', values.Select(v => v.ToString("D20", CultureInfo.InvariantCulture))).Select(c => (byte)c)];
            return Sequence.DecodeList(padded).SequenceEqual(values);
        });

    [QuasarProperty]
    public Property Decode_either_returns_what_TryDecode_returns_or_throws_FormatException() =>
        Prop.ForAll(ByteStrings, bytes =>
        {
            bool parsed = Sequence.TryDecode(bytes, out ulong tried);
            ulong decoded;
            try
            {
                decoded = Sequence.Decode(bytes);
            }
            catch (FormatException)
            {
                Assert.False(parsed, "Decode threw FormatException but TryDecode returned true");
                Assert.Equal(0UL, tried);
                return;
            }

            Assert.True(parsed, "Decode returned a value but TryDecode returned false");
            Assert.Equal(tried, decoded);
        });

    [QuasarProperty]
    public Property TryDecode_accepts_exactly_one_to_twenty_digits_that_fit_in_a_ulong() =>
        Prop.ForAll(ByteStrings, bytes =>
        {
            ulong? expected = ExpectedDecode(bytes);
            bool parsed = Sequence.TryDecode(bytes, out ulong value);
            return parsed == expected.HasValue && (!parsed || value == expected);
        });

    [QuasarProperty]
    public Property DecodeList_either_returns_values_or_throws_FormatException() =>
        Prop.ForAll(ByteStrings, bytes =>
        {
            ulong[] values;
            try
            {
                values = Sequence.DecodeList(bytes);
            }
            catch (FormatException)
            {
                return;
            }

            // Whatever it accepts must be the list the elements spell out.
            ulong[] expected = bytes.Length == 0
                ? []
                : [.. System.Text.Encoding.Latin1.GetString(bytes).Split(',').Select(part => ExpectedDecode(System.Text.Encoding.Latin1.GetBytes(part)) ?? throw new InvalidOperationException($"accepted invalid element '{part}'"))];
            Assert.Equal(expected, values);
        });
}
