namespace Quasar.Tests.Support.PowerLoss;

/// <summary>Which of the writes that were never synced survive a power loss.</summary>
public enum Survivors
{
    /// <summary>Nothing unsynced survives: every file and directory is exactly as last synced.</summary>
    None,

    /// <summary>Everything survives, as if the page cache reached the disk just before the loss.</summary>
    All,

    /// <summary>
    /// A cut in time chosen from the seed: every unsynced change made before it survives, none
    /// made after (pages changed through a memory map count as made last: their time is unknown).
    /// </summary>
    Prefix,

    /// <summary>Each unsynced page and size change survives or not by a coin toss from the seed; each directory keeps a random prefix of its unsynced entry changes.</summary>
    Random,
}

/// <summary>How a <see cref="PowerLossFileSystem"/> loses power: which unsynced changes survive, deterministic given <see cref="Seed"/>.</summary>
/// <param name="Keep">Which unsynced changes survive.</param>
/// <param name="Seed">Drives <see cref="Survivors.Prefix"/> and <see cref="Survivors.Random"/>.</param>
/// <param name="ZeroFilledTails">
/// Every file keeps its latest size even where its pages were lost: a file grown since its last
/// sync ends in zeros (the size reached the disk's metadata, the data did not).
/// </param>
public sealed record PowerLossMode(Survivors Keep, int Seed = 0, bool ZeroFilledTails = false)
{
    /// <summary>Nothing unsynced survives.</summary>
    public static PowerLossMode KeepNone { get; } = new(Survivors.None);

    /// <summary>Everything unsynced survives.</summary>
    public static PowerLossMode KeepAll { get; } = new(Survivors.All);

    /// <inheritdoc />
    public override string ToString() =>
        (Keep is Survivors.Prefix or Survivors.Random ? $"{Keep}({Seed})" : Keep.ToString()) + (ZeroFilledTails ? "+zero tails" : string.Empty);
}
