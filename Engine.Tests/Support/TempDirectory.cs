namespace Quasar.Tests.Support;

/// <summary>
/// A fresh directory under the system temp folder (<c>quasar-tests/&lt;test assembly&gt;/&lt;guid&gt;</c>),
/// deleted on dispose. Engine.Tests and Engine.PropertyTests both compile this one file (the
/// property tests link it from here).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>The folder of the test assembly that compiled this copy, so each project's leftovers stay apart.</summary>
    private static readonly string Root = System.IO.Path.Combine(
        System.IO.Path.GetTempPath(),
        "quasar-tests",
        typeof(TempDirectory).Assembly.GetName().Name ?? "tests");

    /// <summary>Creates the directory.</summary>
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Deletes the directory and everything in it, best effort.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leaked temp directory must not fail a test
        }
        catch (UnauthorizedAccessException)
        {
            // same: a file still held read-only or by another process
        }
    }
}
