using System.Globalization;
using System.Text;

namespace Quasar.Tests.Sequences;

public class SequenceEncodingTests
{
    private const string MaxDigits = "18446744073709551615";

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void EncodedLength_is_twenty_bytes()
    {
        Assert.Equal(20, Sequence.EncodedLength);
    }

    [Fact]
    public void Encode_pads_to_twenty_digits_with_leading_zeros()
    {
        Assert.Equal("00000000000000000042", Text(Sequence.Encode(42)));
    }

    [Fact]
    public void Encode_pads_zero_to_twenty_zeros()
    {
        Assert.Equal("00000000000000000000", Text(Sequence.Encode(0)));
    }

    [Fact]
    public void Encode_writes_the_max_value_in_exactly_twenty_digits()
    {
        Assert.Equal(MaxDigits, Text(Sequence.Encode(ulong.MaxValue)));
    }

    [Fact]
    public void Encode_compact_writes_no_leading_zeros()
    {
        Assert.Equal("42", Text(Sequence.Encode(42, compact: true)));
    }

    [Fact]
    public void Encode_compact_writes_zero_as_a_single_digit()
    {
        Assert.Equal("0", Text(Sequence.Encode(0, compact: true)));
    }

    [Fact]
    public void Encode_compact_writes_the_max_value_in_twenty_digits()
    {
        Assert.Equal(MaxDigits, Text(Sequence.Encode(ulong.MaxValue, compact: true)));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(9UL)]
    [InlineData(10UL)]
    [InlineData(99UL)]
    [InlineData(100UL)]
    [InlineData(4_294_967_295UL)]
    [InlineData(4_294_967_296UL)]
    [InlineData(9_999_999_999_999_999_999UL)]
    [InlineData(10_000_000_000_000_000_000UL)]
    public void Encode_compact_matches_the_invariant_decimal_text_at_digit_boundaries(ulong value)
    {
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Text(Sequence.Encode(value, compact: true)));
    }

    [Fact]
    public void Encode_into_a_span_returns_twenty_for_the_padded_form()
    {
        var destination = new byte[32];

        int written = Sequence.Encode(7, destination);

        Assert.Equal(20, written);
        Assert.Equal("00000000000000000007", Text(destination[..written]));
    }

    [Fact]
    public void Encode_into_a_span_returns_the_digit_count_for_the_compact_form()
    {
        var destination = new byte[32];

        int written = Sequence.Encode(12345, destination, compact: true);

        Assert.Equal(5, written);
        Assert.Equal("12345", Text(destination[..written]));
    }

    [Fact]
    public void Encode_into_a_span_leaves_the_bytes_after_the_encoding_untouched()
    {
        var destination = Enumerable.Repeat((byte)'x', 8).ToArray();

        Sequence.Encode(123, destination, compact: true);

        Assert.Equal("123xxxxx", Text(destination));
    }

    [Fact]
    public void Encode_into_a_span_of_exactly_twenty_bytes_succeeds()
    {
        var destination = new byte[20];

        Assert.Equal(20, Sequence.Encode(ulong.MaxValue, destination));
        Assert.Equal(MaxDigits, Text(destination));
    }

    [Fact]
    public void Encode_into_a_span_rejects_a_destination_too_small_for_the_padding()
    {
        var destination = new byte[19];

        Assert.Throws<ArgumentException>(() => Sequence.Encode(1, destination));
    }

    [Fact]
    public void Encode_into_a_span_rejects_a_destination_too_small_for_the_compact_digits()
    {
        var destination = new byte[2];

        Assert.Throws<ArgumentException>(() => Sequence.Encode(123, destination, compact: true));
    }

    [Fact]
    public void Encode_into_an_empty_span_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Sequence.Encode(5, Span<byte>.Empty, compact: true));
    }

    [Fact]
    public void Decode_reads_the_padded_form()
    {
        Assert.Equal(42UL, Sequence.Decode(Bytes("00000000000000000042")));
    }

    [Fact]
    public void Decode_reads_the_compact_form()
    {
        Assert.Equal(42UL, Sequence.Decode(Bytes("42")));
    }

    [Fact]
    public void Decode_reads_a_single_zero()
    {
        Assert.Equal(0UL, Sequence.Decode(Bytes("0")));
    }

    [Fact]
    public void Decode_reads_twenty_zeros_as_zero()
    {
        Assert.Equal(0UL, Sequence.Decode(Bytes("00000000000000000000")));
    }

    [Fact]
    public void Decode_reads_the_max_value()
    {
        Assert.Equal(ulong.MaxValue, Sequence.Decode(Bytes(MaxDigits)));
    }

    [Fact]
    public void Decode_accepts_leading_zeros_in_a_shorter_input()
    {
        Assert.Equal(7UL, Sequence.Decode(Bytes("007")));
    }

    [Fact]
    public void Decode_rejects_empty_input()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode([]));
    }

    [Theory]
    [InlineData("000000000000000000001")] // 21 digits, even though the value is small
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("12a")]
    [InlineData("1.0")]
    [InlineData("1,2")]
    [InlineData("0x1F")]
    [InlineData("18446744073709551616")] // ulong.MaxValue + 1
    [InlineData("99999999999999999999")]
    public void Decode_rejects_malformed_input_and_names_it_in_the_message(string input)
    {
        var ex = Assert.Throws<FormatException>(() => Sequence.Decode(Bytes(input)));

        Assert.Contains(input, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_leading_plus_sign()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("+42")));
    }

    [Fact]
    public void Decode_rejects_a_leading_minus_sign()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("-42")));
    }

    [Fact]
    public void Decode_rejects_twenty_one_digits()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("100000000000000000000")));
    }

    [Fact]
    public void Decode_rejects_the_first_value_past_the_max()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("18446744073709551616")));
    }

    [Theory]
    [InlineData("\t1")]
    [InlineData("1\n")]
    [InlineData("1\r\n")]
    [InlineData("1\0")]
    public void Decode_rejects_control_whitespace(string input)
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes(input)));
    }

    [Fact]
    public void Decode_rejects_non_ascii_digits()
    {
        // U+0661 ARABIC-INDIC DIGIT ONE and U+FF11 FULLWIDTH DIGIT ONE in UTF-8.
        Assert.Throws<FormatException>(() => Sequence.Decode(Encoding.UTF8.GetBytes("\u0661")));
        Assert.Throws<FormatException>(() => Sequence.Decode(Encoding.UTF8.GetBytes("\uFF11")));
    }

    [Fact]
    public void Decode_rejects_bytes_just_outside_the_digit_range()
    {
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("1/")));
        Assert.Throws<FormatException>(() => Sequence.Decode(Bytes("1:")));
    }

    [Fact]
    public void Decode_truncates_a_long_input_in_the_error_message()
    {
        string input = "1234567890abcdefghij" + new string('z', 980);

        var ex = Assert.Throws<FormatException>(() => Sequence.Decode(Bytes(input)));

        Assert.Contains("1234567890abcdefghij", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(input, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 300, $"message is {ex.Message.Length} chars long: {ex.Message}");
    }

    [Fact]
    public void TryDecode_returns_true_and_the_value_for_valid_input()
    {
        Assert.True(Sequence.TryDecode(Bytes("00000000000000000042"), out ulong value));
        Assert.Equal(42UL, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+1")]
    [InlineData("1 ")]
    [InlineData("18446744073709551616")]
    [InlineData("000000000000000000001")]
    public void TryDecode_returns_false_and_zero_for_malformed_input(string input)
    {
        Assert.False(Sequence.TryDecode(Bytes(input), out ulong value));
        Assert.Equal(0UL, value);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(1_234_567_890UL)]
    [InlineData(ulong.MaxValue)]
    public void Decode_reverses_both_encodings(ulong value)
    {
        Assert.Equal(value, Sequence.Decode(Sequence.Encode(value)));
        Assert.Equal(value, Sequence.Decode(Sequence.Encode(value, compact: true)));
    }

    [Fact]
    public void Padded_encodings_sort_bytewise_like_the_numbers()
    {
        ulong[] values = [ulong.MaxValue, 0, 10, 9, 100, 4_294_967_296, 99, 1];

        var byBytes = values.OrderBy(v => Sequence.Encode(v), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToArray();

        Assert.Equal(values.Order().ToArray(), byBytes);
    }
}
