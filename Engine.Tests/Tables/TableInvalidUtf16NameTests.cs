using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary>Names are stored as UTF-8, so a name that is not valid UTF-16 has no encoding and is refused.</summary>
public sealed class TableInvalidUtf16NameTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    // Passed by index: a test runner that serializes theory data may itself replace a lone surrogate.
    private static readonly string[] LoneSurrogates = ["a\uD800", "\uDC00", "x\uDBFFy", "\uDC00\uD800"];

    // Storage review F10: a lone surrogate was accepted, written as U+FFFD, and then read back as
    // another name (CorruptionException without the cache, a different name after a reopen).
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Setting_a_name_with_a_lone_surrogate_is_refused_and_leaves_the_file_untouched(int index)
    {
        string name = LoneSurrogates[index];
        using Table table = db.Table();
        table.Set("kept", 1);
        string file = Path.Combine(db.Path, StoreNames.Table("table"), "table.log");
        byte[] before = File.ReadAllBytes(file);

        Assert.Throws<ArgumentException>(() => table.Set(name, 2));

        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(["kept"], table.All().Keys);
    }

    // Storage review F10: reading or deleting by such a name is refused the same way.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Getting_or_deleting_a_name_with_a_lone_surrogate_is_refused(int index)
    {
        string name = LoneSurrogates[index];
        using Table table = db.Table();

        Assert.Throws<ArgumentException>(() => table.Get(name));
        Assert.Throws<ArgumentException>(() => table.Delete(name));
    }

    // Storage review F10: a valid surrogate pair is a character like any other.
    [Fact]
    public void A_name_with_a_surrogate_pair_is_stored_and_read_back()
    {
        using (Table table = db.Table())
        {
            table.Set("\U0001F600", 7);
        }

        db.Reopen();
        using Table reopened = db.Table();
        Assert.Equal([7UL], reopened.Get("\U0001F600"));
    }
}
