namespace Quasar;

/// <summary>
/// How large a buffer sized by a caller's option (a ledger cache, a producer batch, a consumer
/// window) starts. Up to <see cref="Max"/> it is allocated whole, exactly as asked, so the hot paths
/// never grow it; above, it starts at <see cref="Max"/> and grows on demand, so a huge option such as
/// <see cref="int.MaxValue"/> costs memory only when it is used instead of failing at the call with
/// <see cref="OutOfMemoryException"/>.
/// </summary>
internal static class InitialCapacity
{
    /// <summary>The largest buffer allocated up front, in elements.</summary>
    public const int Max = 1 << 16;

    /// <summary>The starting size of a buffer that may hold up to <paramref name="capacity"/> elements.</summary>
    public static int For(int capacity) => Math.Min(capacity, Max);

    /// <summary>The next size of a full buffer of <paramref name="length"/> elements that may hold up to <paramref name="capacity"/>.</summary>
    public static int Grown(int length, int capacity) => (int)Math.Min(capacity, 2L * length);
}
