using System.Globalization;
using System.Text;

namespace Quasar.CrashWriter;

/// <summary>
/// The payload format of the crash test: "seq=S first=F count=N " and a filler whose length and
/// letter depend on S, so the test can check every payload and tell which batch an entry belongs
/// to. Engine.Tests/Recovery/CrashTests.cs checks the same format (kept in step by hand).
/// </summary>
internal static class CrashPayload
{
    /// <summary>The segment size the child and the test use: small, so segments roll every few batches.</summary>
    public const long SegmentSize = 4096;

    /// <summary>The largest batch the child writes.</summary>
    public const int MaxBatch = 50;

    public static byte[] Encode(ulong sequence, ulong first, int count) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"seq={sequence} first={first} count={count} ")
            + new string((char)('a' + (int)(sequence % 26)), (int)(sequence * 7919 % 61)));
}
