namespace Quasar;

/// <summary>
/// The names of the live consumers storing their positions in one table. Two live consumers with
/// one name would overwrite each other's stored positions (each compiles only its own marks), so
/// the second is refused; a name is released once its consumer has closed or died. Thread-safe:
/// one lock guards the set, held only to add or remove a name.
/// </summary>
internal sealed class ConsumerNames
{
    private readonly HashSet<string> live = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="name"/> for a consumer being created.</summary>
    /// <exception cref="InvalidOperationException">A live consumer already has the name.</exception>
    public void Claim(string name, string tablePrefix)
    {
        lock (live)
        {
            if (!live.Add(name))
            {
                throw new InvalidOperationException($"A consumer named '{name}' is already live on table '{tablePrefix}'; dispose it first.");
            }
        }
    }

    /// <summary>Releases <paramref name="name"/>: its consumer has closed, died, or failed to start.</summary>
    public void Release(string name)
    {
        lock (live)
        {
            live.Remove(name);
        }
    }
}
