using System.Globalization;
using System.Text;

namespace Quasar.CrashWriter;

/// <summary>
/// Everything the crash writer and Engine.Tests' crash tests must agree on: the command lines of
/// the two modes, the lines the writer prints, the payloads of the ledger mode and the values of
/// the table mode. Engine.Tests compiles this very file (Engine.Tests.csproj links it), so the two
/// sides cannot drift apart.
/// <para>
/// Every line is one <c>write()</c> to the pipe (<see cref="Emit"/>), so a SIGKILL never leaves half
/// a line. The first line is always <c>ready ...</c>, printed once the store is open.
/// </para>
/// <list type="bullet">
/// <item>Ledger mode (<see cref="LedgerArguments"/>): <c>ready &lt;head&gt; &lt;tail&gt; &lt;length&gt;</c>, then
/// <c>ack &lt;first&gt; &lt;last&gt;</c> after each Write returned and <c>del &lt;sequence&gt;</c> after each Delete.</item>
/// <item>Table mode (<see cref="TableArguments"/>): <c>ready &lt;names&gt; &lt;max position&gt;</c>, then
/// <c>try &lt;name&gt; &lt;values&gt;</c> / <c>set &lt;name&gt; &lt;values&gt;</c> around each Set and
/// <c>try-del &lt;name&gt;</c> / <c>del &lt;name&gt;</c> around each Delete.</item>
/// <item>Queue mode (<see cref="QueueArguments"/>): <c>ready &lt;head&gt; &lt;tail&gt;</c>, then <c>ack &lt;s&gt; &lt;s&gt;</c>
/// after the producer acknowledged entry s, and the phase markers <c>roll</c> and <c>clean</c> after
/// each segment roll and each cleaning that deleted something. Its consumers report what they
/// processed in files of their own (<see cref="ConsumerRecordsPath"/>), not on stdout.</item>
/// <item>Disk-full mode (<see cref="DiskFullArguments"/>): <c>ready ...</c> as the ledger mode, then one
/// <c>ioerror &lt;acknowledged writes&gt; &lt;message&gt;</c> when a call fails with an I/O error
/// (exit code <see cref="DiskFullIOException"/>).</item>
/// </list>
/// </summary>
internal static class CrashProtocol
{
    /// <summary>The first argument that selects the table mode.</summary>
    public const string TableMode = "table";

    /// <summary>The first argument that selects the disk-full mode.</summary>
    public const string DiskFullMode = "diskfull";

    /// <summary>Disk-full mode: the exit code when a call failed with an <see cref="IOException"/> (the expected outcome).</summary>
    public const int DiskFullIOException = 4;

    /// <summary>Disk-full mode: the exit code when a call failed with any other exception.</summary>
    public const int DiskFullOtherException = 5;

    /// <summary>Disk-full mode: the exit code when <see cref="DiskFullMaxWrites"/> writes all succeeded.</summary>
    public const int DiskFullNeverFailed = 6;

    /// <summary>Disk-full mode: how many 1-entry batches it writes at most before giving up.</summary>
    public const int DiskFullMaxWrites = 1_000_000;

    /// <summary>Disk-full mode: the segment size (small enough that rolls happen on a few MiB).</summary>
    public const long DiskFullSegmentSize = 64 * 1024;

    /// <summary>Keyword of the disk-full mode's last line: <c>ioerror &lt;acknowledged writes&gt; &lt;message&gt;</c>.</summary>
    public const string IoError = "ioerror";

    /// <summary>Ledger mode: durable writes (the default).</summary>
    public const string Sync = "sync";

    /// <summary>Ledger mode: writes that only reach the operating system.</summary>
    public const string NoSync = "nosync";

    /// <summary>Table mode: a few names set over and over (the default).</summary>
    public const string Hot = "hot";

    /// <summary>Table mode: one name set to <see cref="BulkCount"/> positions over and over.</summary>
    public const string Bulk = "bulk";

    /// <summary>The segment size of the ledger mode: small, so segments roll every few batches.</summary>
    public const long SegmentSize = 4096;

    /// <summary>The largest batch the ledger mode writes.</summary>
    public const int MaxBatch = 50;

    /// <summary>The name the bulk workload sets.</summary>
    public const string BulkName = "bulk";

    /// <summary>How many positions each bulk set stores.</summary>
    public const int BulkCount = 100_000;

    /// <summary>Keyword of the line announcing a Set.</summary>
    public const string TrySet = "try";

    /// <summary>The first argument that selects the queue mode.</summary>
    public const string QueueMode = "queue";

    /// <summary>The names of the queue mode's two consumers.</summary>
    public static readonly string[] QueueConsumers = ["alpha", "beta"];

    /// <summary>
    /// The Window of each of <see cref="QueueConsumers"/>, the same in every run: a consumer
    /// restarted with a smaller Window than its stored list needs delivers some stored marks again
    /// (the engine's choice where API.md is silent), which the test must not mistake for a lost mark.
    /// </summary>
    public static readonly int[] QueueConsumerWindows = [8, 3];

    /// <summary>
    /// Names the queue mode's ballast writer sets in the queue's table, to drive the file through
    /// rewrites. Their positions lie far above any sequence, so the cleaner never waits for them.
    /// </summary>
    public const string BallastPrefix = "ballast-";

    /// <summary>The lowest position a ballast name holds.</summary>
    public const ulong BallastBase = 1UL << 62;

    /// <summary>Queue mode marker: a ledger segment rolled.</summary>
    public const string RollMarker = "roll";

    /// <summary>Queue mode marker: a cleaning pass deleted entries.</summary>
    public const string CleanMarker = "clean";

    /// <summary>Keyword of the line reporting a Set returned.</summary>
    public const string SetDone = "set";

    /// <summary>Keyword of the line announcing a table Delete.</summary>
    public const string TryDelete = "try-del";

    /// <summary>Keyword of the line reporting a Delete returned (ledger and table mode alike).</summary>
    public const string DeleteDone = "del";

    /// <summary>Keyword of the line reporting a ledger Write returned.</summary>
    public const string WriteDone = "ack";

    private const string ReadyKeyword = "ready";

    /// <summary>Usage of the ledger mode.</summary>
    public const string LedgerUsage = "Quasar.CrashWriter <db directory> <prefix> <seed> [sync|nosync]";

    /// <summary>Usage of the queue mode.</summary>
    public const string QueueUsage = "Quasar.CrashWriter queue <db directory> <records directory> <prefix> <seed>";

    /// <summary>Usage of the table mode.</summary>
    public const string TableUsage = "Quasar.CrashWriter table <db directory> <prefix> <seed> [hot|bulk]";

    /// <summary>The command line of the queue mode.</summary>
    public static string[] QueueArguments(string directory, string recordsDirectory, string prefix, int seed) =>
        [QueueMode, directory, recordsDirectory, prefix, seed.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The queue mode's first line: the ledger's Head and Tail it found.</summary>
    public static string QueueReady(ulong head, ulong tail) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadyKeyword} {head} {tail}");

    /// <summary>
    /// The queue mode's payload: <c>q&lt;sequence&gt;:</c> and a filler whose length and letter depend
    /// on the sequence, so a consumer's record of it proves it got the bytes written for it. Up to
    /// 160 bytes: a <see cref="SegmentSize"/> segment holds a few dozen, so the ledger rolls often.
    /// </summary>
    public static string QueuePayloadText(ulong sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"q{sequence}:") + new string((char)('a' + (int)(sequence % 26)), (int)(sequence * 7919 % 151));

    /// <summary>The bytes of <see cref="QueuePayloadText"/> (ASCII).</summary>
    public static byte[] QueuePayload(ulong sequence) => Encoding.ASCII.GetBytes(QueuePayloadText(sequence));

    /// <summary>The append-only file in which consumer <paramref name="consumer"/> records every entry it processed.</summary>
    public static string ConsumerRecordsPath(string recordsDirectory, string consumer) => Path.Combine(recordsDirectory, consumer + ".log");

    /// <summary>One line of a consumer's records: the sequence and the payload it was delivered with (no newline).</summary>
    public static string ConsumerRecord(ulong sequence, string payload) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence} {payload}");

    /// <summary>Reads a <see cref="ConsumerRecord"/> line; false when it is malformed.</summary>
    public static bool TryParseConsumerRecord(string line, out ulong sequence, out string payload)
    {
        ArgumentNullException.ThrowIfNull(line);
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        payload = space < 0 ? string.Empty : line[(space + 1)..];
        sequence = 0;
        return space > 0 && ulong.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Usage of the disk-full mode.</summary>
    public const string DiskFullUsage = "Quasar.CrashWriter diskfull <db directory> <prefix>";

    /// <summary>The command line of the disk-full mode.</summary>
    public static string[] DiskFullArguments(string directory, string prefix) => [DiskFullMode, directory, prefix];

    /// <summary>The disk-full mode's report of the failed call: how many writes were acknowledged before it.</summary>
    public static string IoErrorLine(long acknowledged, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{IoError} {acknowledged} {message.ReplaceLineEndings(" ")}");

    /// <summary>The acknowledged writes an <c>ioerror</c> line reports; false for any other line.</summary>
    public static bool TryParseIoError(string line, out long acknowledged)
    {
        acknowledged = 0;
        string[] parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[0] == IoError
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out acknowledged);
    }

    /// <summary>The command line of the ledger mode.</summary>
    public static string[] LedgerArguments(string directory, string prefix, int seed, bool syncWrites) =>
        [directory, prefix, seed.ToString(CultureInfo.InvariantCulture), syncWrites ? Sync : NoSync];

    /// <summary>The command line of the table mode.</summary>
    public static string[] TableArguments(string directory, string prefix, int seed, bool bulk) =>
        [TableMode, directory, prefix, seed.ToString(CultureInfo.InvariantCulture), bulk ? Bulk : Hot];

    /// <summary>Whether <paramref name="line"/> is the first line, printed once the store is open.</summary>
    public static bool IsReady(string line) => line.StartsWith(ReadyKeyword + " ", StringComparison.Ordinal);

    /// <summary>The ledger mode's first line: the state it found.</summary>
    public static string LedgerReady(ulong head, ulong tail, long length) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadyKeyword} {head} {tail} {length}");

    /// <summary>The table mode's first line: how many names it found and the largest position stored (0 when empty).</summary>
    public static string TableReady(int names, ulong maxPosition) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadyKeyword} {names} {maxPosition}");

    /// <summary><c>ack &lt;first&gt; &lt;last&gt;</c>: the batch first..last is written.</summary>
    public static string Written(ulong first, ulong last) => string.Create(CultureInfo.InvariantCulture, $"{WriteDone} {first} {last}");

    /// <summary>The batch an <c>ack</c> line reports; false for any other line.</summary>
    public static bool TryParseWritten(string line, out ulong first, out ulong last)
    {
        first = last = 0;
        string[] parts = line.Split(' ');
        return parts.Length == 3 && parts[0] == WriteDone
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out last);
    }

    /// <summary><c>del &lt;sequence&gt;</c>: the ledger's Delete(sequence) returned.</summary>
    public static string Deleted(ulong sequence) => string.Create(CultureInfo.InvariantCulture, $"{DeleteDone} {sequence}");

    /// <summary>The sequence a ledger <c>del</c> line reports; false for any other line.</summary>
    public static bool TryParseDeleted(string line, out ulong sequence)
    {
        sequence = 0;
        string[] parts = line.Split(' ');
        return parts.Length == 2 && parts[0] == DeleteDone
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Positions as printed in table lines: comma separated.</summary>
    public static string Values(IEnumerable<ulong> positions) =>
        string.Join(',', positions.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A run of <paramref name="count"/> consecutive positions from <paramref name="first"/>, as printed: <c>first:count</c>.</summary>
    public static string RunValues(ulong first, int count) => string.Create(CultureInfo.InvariantCulture, $"{first}:{count}");

    /// <summary>Reads <see cref="Values"/> or <see cref="RunValues"/>.</summary>
    public static ulong[] ParseValues(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            ulong first = ulong.Parse(text.AsSpan(0, colon), CultureInfo.InvariantCulture);
            int count = int.Parse(text.AsSpan(colon + 1), CultureInfo.InvariantCulture);
            return [.. Enumerable.Range(0, count).Select(i => first + (ulong)i)];
        }

        return [.. text.Split(',').Select(p => ulong.Parse(p, CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// The ledger mode's payload: <c>seq=S first=F count=N </c> and a filler whose length and letter
    /// depend on S, so every payload can be checked and names the batch its entry belongs to.
    /// </summary>
    public static string PayloadText(ulong sequence, ulong first, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"seq={sequence} first={first} count={count} ")
        + new string((char)('a' + (int)(sequence % 26)), (int)(sequence * 7919 % 61));

    /// <summary>The bytes of <see cref="PayloadText"/> (ASCII).</summary>
    public static byte[] Payload(ulong sequence, ulong first, int count) => Encoding.ASCII.GetBytes(PayloadText(sequence, first, count));

    /// <summary>The entries of one ledger-mode batch: first .. first + count - 1, each with its <see cref="Payload"/>.</summary>
    public static Entry[] Batch(ulong first, int count)
    {
        var batch = new Entry[count];
        for (int i = 0; i < count; i++)
        {
            ulong sequence = first + (ulong)i;
            batch[i] = new Entry(sequence, Payload(sequence, first, count));
        }

        return batch;
    }

    /// <summary>
    /// The batch a payload names (its first sequence and size), read from the fields of
    /// <see cref="PayloadText"/>; false when the fields are malformed. Whether the whole payload is
    /// the one written for its sequence, the caller checks against <see cref="PayloadText"/>.
    /// </summary>
    public static bool TryParsePayload(string text, out ulong first, out int count)
    {
        first = 0;
        count = 0;
        string[] fields = text.Split(' ', 4);
        return fields.Length == 4
            && fields[0].StartsWith("seq=", StringComparison.Ordinal)
            && fields[1].StartsWith("first=", StringComparison.Ordinal)
            && fields[2].StartsWith("count=", StringComparison.Ordinal)
            && ulong.TryParse(fields[1].AsSpan("first=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(fields[2].AsSpan("count=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }

    /// <summary>Prints one line with a single write, flushed at once; threads emitting at once never interleave.</summary>
    public static void Emit(Stream stdout, string line)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\n");
        lock (stdout)
        {
            stdout.Write(bytes);
            stdout.Flush();
        }
    }
}
