using System.Text;

namespace Quasar.Tests.Support;

/// <summary>Builds entries whose payload names their sequence, so reads can be checked.</summary>
public static class TestEntries
{
    public static Entry Make(ulong sequence, int extra = 0) =>
        new(sequence, Encoding.ASCII.GetBytes($"entry-{sequence}" + new string('x', extra)));

    public static Entry[] Range(ulong first, int count, int extra = 0) =>
        Enumerable.Range(0, count).Select(i => Make(first + (ulong)i, extra)).ToArray();

    public static string Text(Entry entry) => Encoding.ASCII.GetString(entry.Payload.Span);

    public static void AssertMatches(IEnumerable<Entry> expected, IEnumerable<Entry> actual)
    {
        Assert.Equal(
            expected.Select(e => (e.Sequence, Text(e))).ToArray(),
            actual.Select(e => (e.Sequence, Text(e))).ToArray());
    }
}
