using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.OpenFiles;

/// <summary>
/// A database whose ledger "l" has many small sealed segments (one batch of
/// <see cref="PerSegment"/> entries each, sequences from 1), reopened so that no segment has been
/// read yet, with <see cref="DbOptions.MaxOpenSegments"/> as given.
/// </summary>
internal sealed class ManySegments : IDisposable
{
    public const int PerSegment = 4;
    public const long SegmentSize = 1024;
    private readonly TestDb db;

    public ManySegments(int segments, int maxOpenSegments)
    {
        db = new TestDb(new DbOptions { SegmentSize = SegmentSize, MaxOpenSegments = maxOpenSegments });
        using (Ledger writer = db.Ledger("l"))
        {
            for (int s = 0; s < segments; s++)
            {
                writer.Write(TestEntries.Range(1 + ((ulong)s * PerSegment), PerSegment, extra: 100));
            }
        }

        Entries = TestEntries.Range(1, segments * PerSegment, extra: 100);
        db.Reopen();
        Ledger = db.Ledger("l");
        Assert.Equal(segments, SegmentFiles().Length);
    }

    /// <summary>Every entry written, in order.</summary>
    public Entry[] Entries { get; }

    /// <summary>The ledger, freshly opened.</summary>
    public Ledger Ledger { get; private set; }

    public Db Db => db.Db;

    /// <summary>The ledger's directory.</summary>
    public string Directory => System.IO.Path.Combine(db.Path, StoreNames.Ledger("l"));

    /// <summary>The data file of the segment starting at <paramref name="baseSequence"/>.</summary>
    public string DataFile(ulong baseSequence) => System.IO.Path.Combine(Directory, $"{baseSequence:D20}.seg");

    /// <summary>The base sequence of segment <paramref name="index"/> (0 = oldest).</summary>
    public static ulong BaseOf(int index) => 1 + ((ulong)index * PerSegment);

    public string[] SegmentFiles() => System.IO.Directory.GetFiles(Directory, "*.seg");

    /// <summary>Closes the database, lets <paramref name="change"/> alter the files, and opens the ledger again.</summary>
    public void ReopenAfter(Action change)
    {
        Ledger.Dispose();
        db.Db.Dispose();
        change();
        db.Reopen();
        Ledger = db.Ledger("l");
    }

    public void Dispose() => db.Dispose();
}
