namespace Quasar.Tests.Support;

/// <summary>
/// One recorded file-system call: its operation, its path, its place among all recorded calls
/// (<paramref name="Ordinal"/>, from 1) and among the calls of the same operation on the same
/// path (<paramref name="Occurrence"/>, from 1). A rule built from Operation, Path and Occurrence
/// fails exactly this call when the same work runs again.
/// </summary>
public readonly record struct FileCall(FileFault Operation, string Path, int Ordinal, int Occurrence)
{
    /// <summary>"#7 SyncData of 00000000000000000001.seg (its 2nd)": the form failure messages use.</summary>
    public override string ToString() =>
        $"#{Ordinal} {Operation} of {System.IO.Path.GetFileName(Path)} (its {Occurrence}{Suffix(Occurrence)})";

    private static string Suffix(int n) => (n % 100) switch
    {
        11 or 12 or 13 => "th",
        _ => (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" },
    };
}
