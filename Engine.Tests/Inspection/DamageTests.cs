using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>
/// One flipped byte in each kind of file, and a truncated index: the checker reports an error
/// naming the file and the byte offset of the structure that fails.
/// </summary>
public sealed class DamageTests : IDisposable
{
    private const int SegmentHeaderSize = 32;
    private const int BatchHeaderSize = 40;
    private const int EntryHeaderSize = 16;
    private const int IndexHeaderSize = 64;
    private const int SlotSize = 16;

    private readonly TempDirectory temp = new();

    public DamageTests() => InspectedStore.Build(temp.Path);

    public void Dispose() => temp.Dispose();

    /// <summary>The second segment: sealed, with a segment before and after it.</summary>
    private string Sealed => InspectedStore.Segments(temp.Path)[1];

    [Fact]
    public void A_flipped_byte_in_a_segment_header_is_an_error_at_the_header()
    {
        InspectedStore.Flip(Sealed, 3);

        AssertError(Sealed, 0);
    }

    [Fact]
    public void A_flipped_byte_in_a_batch_header_is_an_error_at_the_batch()
    {
        InspectedStore.Flip(Sealed, SegmentHeaderSize + 4);

        AssertError(Sealed, SegmentHeaderSize);
    }

    [Fact]
    public void A_flipped_byte_in_an_entry_payload_is_an_error_at_the_entry()
    {
        InspectedStore.Flip(Sealed, SegmentHeaderSize + BatchHeaderSize + EntryHeaderSize + 2);

        AssertError(Sealed, SegmentHeaderSize + BatchHeaderSize);
    }

    [Fact]
    public void A_flipped_byte_in_an_index_slot_is_an_error_at_the_slot()
    {
        string index = Path.ChangeExtension(Sealed, ".idx");
        InspectedStore.Flip(index, IndexHeaderSize + SlotSize + 3);

        AssertError(index, IndexHeaderSize + SlotSize);
    }

    [Fact]
    public void A_flipped_byte_in_a_slot_before_the_last_batch_of_the_active_index_is_an_error()
    {
        string index = Path.ChangeExtension(InspectedStore.Segments(temp.Path)[^1], ".idx");
        InspectedStore.Flip(index, IndexHeaderSize + 3);

        AssertError(index, IndexHeaderSize);
    }

    [Fact]
    public void A_truncated_sealed_index_is_an_error_at_its_end()
    {
        string index = Path.ChangeExtension(Sealed, ".idx");
        using (var file = new FileStream(index, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(IndexHeaderSize + SlotSize);
        }

        AssertError(index, IndexHeaderSize + SlotSize);
    }

    [Fact]
    public void A_flipped_byte_in_the_only_tail_copy_is_an_error_at_the_copy()
    {
        string tail = Path.Combine(InspectedStore.LedgerDirectory(temp.Path), "tail");
        InspectedStore.Flip(tail, 17);

        AssertError(tail, 0);
    }

    [Fact]
    public void A_flipped_byte_in_a_table_record_followed_by_more_records_is_an_error_at_the_record()
    {
        string table = InspectedStore.TableFile(temp.Path);
        InspectedStore.Flip(table, SegmentHeaderSize + 8 + 3);

        AssertError(table, SegmentHeaderSize);
    }

    [Fact]
    public void A_segment_whose_header_names_another_base_than_its_file_name_is_an_error()
    {
        string[] segments = InspectedStore.Segments(temp.Path);
        ulong baseSequence = ulong.Parse(Path.GetFileNameWithoutExtension(segments[1]), System.Globalization.CultureInfo.InvariantCulture);
        string renamed = Path.Combine(Path.GetDirectoryName(Sealed)!, $"{baseSequence + 1:D20}.seg");
        File.Move(Sealed, renamed);
        File.Move(Path.ChangeExtension(segments[1], ".idx"), Path.ChangeExtension(renamed, ".idx"));

        AssertError(renamed, 16);
    }

    private void AssertError(string path, long offset)
    {
        List<CheckProblem> problems = InspectedStore.Check(temp.Path);
        Assert.True(
            problems.Any(p => p.Severity == ProblemSeverity.Error && p.FilePath == path && p.Offset == offset),
            $"expected an error in {path} at offset {offset}; found:\n{string.Join('\n', problems)}");
    }

}
