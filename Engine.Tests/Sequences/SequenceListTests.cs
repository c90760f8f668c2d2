using System.Buffers;
using System.Text;

namespace Quasar.Tests.Sequences;

public class SequenceListTests
{
    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void EncodeList_of_an_empty_list_is_empty_bytes()
    {
        Assert.Empty(Sequence.EncodeList([]));
    }

    [Fact]
    public void DecodeList_of_empty_bytes_is_an_empty_list()
    {
        Assert.Empty(Sequence.DecodeList([]));
    }

    [Fact]
    public void EncodeList_of_a_single_sequence_has_no_comma()
    {
        Assert.Equal("42", Text(Sequence.EncodeList([42])));
    }

    [Fact]
    public void EncodeList_writes_compact_sequences_separated_by_commas()
    {
        Assert.Equal("1,2,3", Text(Sequence.EncodeList([1, 2, 3])));
    }

    [Fact]
    public void EncodeList_keeps_the_given_order_and_duplicates()
    {
        Assert.Equal("30,10,10", Text(Sequence.EncodeList([30, 10, 10])));
    }

    [Fact]
    public void EncodeList_writes_the_max_value_in_full()
    {
        Assert.Equal("1,18446744073709551615", Text(Sequence.EncodeList([1, ulong.MaxValue])));
    }

    [Fact]
    public void EncodeList_writes_zero_as_a_single_digit()
    {
        Assert.Equal("0,5", Text(Sequence.EncodeList([0, 5])));
    }

    [Fact]
    public void DecodeList_of_EncodeList_of_a_single_zero_is_that_zero()
    {
        Assert.Equal([0UL], Sequence.DecodeList(Sequence.EncodeList([0])));
    }

    [Fact]
    public void DecodeList_reads_a_single_sequence()
    {
        Assert.Equal([42UL], Sequence.DecodeList(Bytes("42")));
    }

    [Fact]
    public void DecodeList_reads_comma_separated_sequences_in_order()
    {
        Assert.Equal([3UL, 1UL, 2UL], Sequence.DecodeList(Bytes("3,1,2")));
    }

    [Fact]
    public void DecodeList_accepts_padded_elements()
    {
        Assert.Equal([1UL, 2UL, ulong.MaxValue], Sequence.DecodeList(Bytes("00000000000000000001,2,18446744073709551615")));
    }

    [Theory]
    [InlineData("1,2,")] // trailing comma
    [InlineData(",1,2")] // leading comma
    [InlineData("1,,2")] // empty element
    [InlineData(",")]
    [InlineData("1, 2")]
    [InlineData("1 ,2")]
    [InlineData("1;2")]
    [InlineData("1,x")]
    [InlineData("1,-2")]
    [InlineData("1,18446744073709551616")]
    [InlineData("1,000000000000000000001")]
    public void DecodeList_rejects_a_malformed_list_and_names_it_in_the_message(string input)
    {
        var ex = Assert.Throws<FormatException>(() => Sequence.DecodeList(Bytes(input)));

        Assert.Contains(input, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeList_rejects_a_trailing_comma()
    {
        Assert.Throws<FormatException>(() => Sequence.DecodeList(Bytes("1,")));
    }

    [Fact]
    public void DecodeList_rejects_a_leading_comma()
    {
        Assert.Throws<FormatException>(() => Sequence.DecodeList(Bytes(",1")));
    }

    [Fact]
    public void DecodeList_rejects_an_empty_element_in_the_middle()
    {
        Assert.Throws<FormatException>(() => Sequence.DecodeList(Bytes("1,,2")));
    }

    [Fact]
    public void DecodeList_truncates_a_long_input_in_the_error_message()
    {
        string input = "1,2,3,4,5,6,7,x" + string.Concat(Enumerable.Repeat(",123456789", 100));

        var ex = Assert.Throws<FormatException>(() => Sequence.DecodeList(Bytes(input)));

        Assert.Contains("1,2,3,4,5,6,7,x", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(input, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, $"message is {ex.Message.Length} chars long: {ex.Message}");
    }

    [Fact]
    public void DecodeList_reverses_EncodeList()
    {
        ulong[] list = [1, 9, 10, 4_294_967_296, ulong.MaxValue - 1, ulong.MaxValue];

        Assert.Equal(list, Sequence.DecodeList(Sequence.EncodeList(list)));
    }

    [Fact]
    public void EncodeList_to_a_buffer_writer_writes_the_same_bytes_as_the_array_overload()
    {
        ulong[] list = [5, 50, 500, ulong.MaxValue];
        var writer = new ArrayBufferWriter<byte>();

        Sequence.EncodeList(list, writer);

        Assert.Equal(Sequence.EncodeList(list), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void EncodeList_to_a_buffer_writer_writes_nothing_for_an_empty_list()
    {
        var writer = new ArrayBufferWriter<byte>();

        Sequence.EncodeList([], writer);

        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void EncodeList_to_a_buffer_writer_appends_after_what_is_already_written()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("list="u8);

        Sequence.EncodeList([7, 8], writer);

        Assert.Equal("list=7,8", Text(writer.WrittenSpan));
    }

    [Fact]
    public void EncodeList_to_a_buffer_writer_handles_a_list_larger_than_the_initial_buffer()
    {
        ulong[] list = Enumerable.Repeat(ulong.MaxValue, 1000).ToArray();
        var writer = new ArrayBufferWriter<byte>(1);

        Sequence.EncodeList(list, writer);

        Assert.Equal((1000 * 20) + 999, writer.WrittenCount);
        Assert.Equal(list, Sequence.DecodeList(writer.WrittenSpan));
    }

    [Fact]
    public void EncodeList_rejects_a_null_buffer_writer()
    {
        Assert.Throws<ArgumentNullException>(() => Sequence.EncodeList([1], (IBufferWriter<byte>)null!));
    }
}
