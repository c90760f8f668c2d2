namespace Quasar;

/// <summary>Options of a <see cref="Table"/>.</summary>
public sealed record TableOptions
{
    /// <summary>The table's name within its database: 1 to 100 of <c>[A-Za-z0-9._:-]</c>, not "." or "..".</summary>
    public required string Prefix { get; init; }

    /// <summary>
    /// True: every name's decoded positions stay in memory. False: only names and where their
    /// latest record lies in the file (plus first and last position, for <see cref="Table.Range"/>);
    /// <see cref="Table.Get"/> reads the positions from the file.
    /// </summary>
    public bool Cache { get; init; }
}
