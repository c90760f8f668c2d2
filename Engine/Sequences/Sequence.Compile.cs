namespace Quasar;

public static partial class Sequence
{
    /// <summary>
    /// Compiles a consumer's mark table (sequence -> marked) into the list of positions it stores.
    /// </summary>
    /// <remarks>
    /// The first stored position means "everything up to here is done". So the leading run of
    /// marked keys (adjacent keys of the map, not consecutive numbers) collapses into its last key,
    /// and when the smallest key is unmarked, <c>smallest - 1</c> is prepended to say that nothing
    /// before it is pending. The remaining marked keys follow in ascending order; unmarked keys are
    /// dropped. Example: <c>{10:T, 20:T, 30:F, 40:T}</c> gives <c>[20, 40]</c>.
    /// </remarks>
    /// <param name="marks">Sequence -> whether it has been marked.</param>
    /// <returns>The positions in ascending order; empty when there is no marked key.</returns>
    /// <exception cref="ArgumentException">The smallest key is 0 and unmarked (nothing can precede it).</exception>
    public static ulong[] Compile(IReadOnlyDictionary<ulong, bool> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        if (marks.Count == 0)
        {
            return [];
        }

        var keys = new ulong[marks.Count];
        int positives = 0;
        int k = 0;
        foreach (KeyValuePair<ulong, bool> mark in marks)
        {
            keys[k++] = mark.Key;
            positives += mark.Value ? 1 : 0;
        }

        if (positives == 0)
        {
            return [];
        }

        Array.Sort(keys);
        var result = new List<ulong>(positives + 1);
        int start = 0;
        if (!marks[keys[0]])
        {
            if (keys[0] == 0)
            {
                throw new ArgumentException("The smallest mark is sequence 0 and unmarked, so no position can precede it.", nameof(marks));
            }

            result.Add(keys[0] - 1);
        }
        else
        {
            // Collapse the leading marked run into its last key.
            while (start + 1 < keys.Length && marks[keys[start + 1]])
            {
                start++;
            }
        }

        for (int i = start; i < keys.Length; i++)
        {
            if (marks[keys[i]])
            {
                result.Add(keys[i]);
            }
        }

        return [.. result];
    }
}
