using System.Runtime.InteropServices;
using LightningDB;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// Loads the liblmdb.so that the build compiled from LightningDB's LMDB sources (Lmdb.targets)
/// and points LightningDB's <c>DllImport("lmdb")</c> at it, so the peer always runs our build and
/// never a prebuilt binary found elsewhere on the probing path. Protocol: the first read of
/// <see cref="Unavailable"/> loads the library and installs the resolver, once per process
/// (a resolver can be set only once per assembly); later reads return the same answer.
/// </summary>
public static class LmdbNative
{
    /// <summary>The library's file name in the bench's output directory.</summary>
    public const string FileName = "liblmdb.so";

    private static readonly Lazy<string?> Problem = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when LMDB is loaded and LightningDB will use it; otherwise why not, in one line.</summary>
    public static string? Unavailable => Problem.Value;

    /// <summary>Throws unless LMDB is loaded.</summary>
    /// <exception cref="InvalidOperationException">The library is missing or cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
    }

    private static string? Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            return $"{path} is missing: the build compiles it from LightningDB's C sources with the system C compiler, and found none (or the host is not Linux)";
        }

        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException error)
        {
            return $"{path} could not be loaded: {error.Message.ReplaceLineEndings(" ")}";
        }
        catch (BadImageFormatException error)
        {
            return $"{path} is not a library for this process: {error.Message.ReplaceLineEndings(" ")}";
        }

        NativeLibrary.SetDllImportResolver(typeof(LightningEnvironment).Assembly, (name, _, _) => name == "lmdb" ? handle : IntPtr.Zero);
        return null;
    }
}
