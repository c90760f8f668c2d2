using Quasar.Tests.Support;

namespace Quasar.Tests.BadInput;

/// <summary>
/// Asserts that a call is refused: it throws exactly the expected exception and every file under
/// the store's directory is byte-identical afterwards. <c>settle</c> (usually <see cref="Db.Sync"/>)
/// runs before the snapshot, so earlier buffered writes are on disk, and again after the call, so a
/// refused call that only buffered a change is caught too.
/// </summary>
internal static class Refusal
{
    /// <summary>Runs <paramref name="call"/> and checks the refusal; returns the exception.</summary>
    public static TException Throws<TException>(string directory, Action call, Action? settle = null)
        where TException : Exception
    {
        settle?.Invoke();
        DirectorySnapshot before = DirectorySnapshot.Take(directory);

        TException error = Assert.Throws<TException>(call);

        settle?.Invoke();
        before.AssertUnchanged();
        return error;
    }

    /// <summary>Awaits <paramref name="call"/> (bounded) and checks the refusal; returns the exception.</summary>
    public static async Task<TException> ThrowsAsync<TException>(string directory, Func<Task> call, Action? settle = null)
        where TException : Exception
    {
        settle?.Invoke();
        DirectorySnapshot before = DirectorySnapshot.Take(directory);

        TException error = await Assert.ThrowsAsync<TException>(() => call().Within());

        settle?.Invoke();
        before.AssertUnchanged();
        return error;
    }
}
