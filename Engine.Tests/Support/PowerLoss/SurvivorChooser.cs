namespace Quasar.Tests.Support.PowerLoss;

/// <summary>
/// Decides, for one power loss, which unsynced changes survive. Every change carries a rank (the
/// time it was made, <see cref="Unknown"/> when it is not known); the decisions are drawn in the
/// order they are asked for, so a caller that asks in a fixed order gets a deterministic outcome.
/// </summary>
internal sealed class SurvivorChooser
{
    /// <summary>The rank of a change whose time is unknown (a page changed through a memory map).</summary>
    public const long Unknown = long.MaxValue - 1;

    private readonly Survivors keep;
    private readonly Random random;
    private readonly long cut;

    /// <param name="mode">The power loss.</param>
    /// <param name="ranks">The ranks of every unsynced change (for the cut of <see cref="Survivors.Prefix"/>).</param>
    public SurvivorChooser(PowerLossMode mode, IEnumerable<long> ranks)
    {
        keep = mode.Keep;
        random = new Random(mode.Seed);
        long[] distinct = [.. ranks.Distinct().Order()];
        int at = random.Next(distinct.Length + 1);
        cut = at == distinct.Length ? long.MaxValue : distinct[at];
    }

    /// <summary>Whether a page or size change made at <paramref name="rank"/> survives.</summary>
    public bool Keeps(long rank) => keep switch
    {
        Survivors.None => false,
        Survivors.All => true,
        Survivors.Prefix => rank < cut,
        _ => random.Next(2) == 0,
    };

    /// <summary>How many of a directory's unsynced entry changes (in the order made) survive: always a prefix, as a journal replays them.</summary>
    public int KeptChanges(IReadOnlyList<long> ranks) => keep switch
    {
        Survivors.None => 0,
        Survivors.All => ranks.Count,
        Survivors.Prefix => ranks.Count(rank => rank < cut),
        _ => random.Next(ranks.Count + 1),
    };
}
