namespace Quasar.Bench.Micro;

/// <summary>Fresh temporary directories for the micro-benchmarks' stores.</summary>
internal static class BenchDirectory
{
    public static string Create(string name)
    {
        string path = Path.Combine(Path.GetTempPath(), "quasar-micro", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
