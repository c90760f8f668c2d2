using System.Text;

namespace Quasar.Storage;

/// <summary>
/// Prefix validation and the mapping from a store's prefix to its directory name. Names must be
/// valid and distinct on Linux, macOS and Windows, whose file systems may ignore case and reject
/// ':' and trailing dots, so every character outside <c>[a-z0-9._-]</c> is escaped:
/// an upper-case letter becomes '^' plus the lower-case letter, ':' becomes '+', and a final '.'
/// becomes '~'. The kind ("ledger-", "table-") leads, so no name is a reserved device name.
/// </summary>
internal static class StoreNames
{
    /// <summary>The longest prefix accepted.</summary>
    public const int MaxPrefixLength = 100;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is 1..100 of <c>[A-Za-z0-9._:-]</c> and not "." or "..".</summary>
    public static void Validate(string? prefix, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);
        if (prefix.Length is 0 or > MaxPrefixLength)
        {
            throw new ArgumentException($"A prefix must be 1 to {MaxPrefixLength} characters long; got {prefix.Length}.", parameterName);
        }

        if (prefix is "." or "..")
        {
            throw new ArgumentException($"The prefix '{prefix}' is reserved.", parameterName);
        }

        foreach (char c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                throw new ArgumentException($"The prefix '{prefix}' contains '{c}'; only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed.", parameterName);
            }
        }
    }

    /// <summary>The directory name of the ledger with <paramref name="prefix"/>.</summary>
    public static string Ledger(string prefix) => LedgerPrefix + Escape(prefix);

    /// <summary>The directory name of the table with <paramref name="prefix"/>.</summary>
    public static string Table(string prefix) => TablePrefix + Escape(prefix);

    /// <summary>
    /// The reverse of <see cref="Ledger"/> and <see cref="Table"/>: the kind and prefix a store
    /// directory's name stands for; false for a name no prefix maps to.
    /// </summary>
    public static bool TryParse(string directoryName, out bool isLedger, out string prefix)
    {
        prefix = string.Empty;
        isLedger = directoryName.StartsWith(LedgerPrefix, StringComparison.Ordinal);
        string kind = isLedger ? LedgerPrefix : TablePrefix;
        if (!directoryName.StartsWith(kind, StringComparison.Ordinal))
        {
            return false;
        }

        string? unescaped = Unescape(directoryName.AsSpan(kind.Length));
        if (unescaped is null || Escape(unescaped) != directoryName[kind.Length..])
        {
            return false; // not a name the mapping produces: it is one-to-one only on its image
        }

        prefix = unescaped;
        return true;
    }

    private const string LedgerPrefix = "ledger-";
    private const string TablePrefix = "table-";

    private static string? Unescape(ReadOnlySpan<char> name)
    {
        var prefix = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '^')
            {
                if (++i == name.Length || !char.IsAsciiLetterLower(name[i]))
                {
                    return null;
                }

                prefix.Append(char.ToUpperInvariant(name[i]));
            }
            else
            {
                prefix.Append(c switch { '+' => ':', '~' => '.', _ => c });
            }
        }

        string result = prefix.ToString();
        try
        {
            Validate(result, nameof(name));
        }
        catch (ArgumentException)
        {
            return null;
        }

        return result;
    }

    private static string Escape(string prefix)
    {
        var name = new StringBuilder(prefix.Length + 8);
        for (int i = 0; i < prefix.Length; i++)
        {
            char c = prefix[i];
            if (char.IsAsciiLetterUpper(c))
            {
                name.Append('^').Append(char.ToLowerInvariant(c));
            }
            else if (c == ':')
            {
                name.Append('+');
            }
            else if (c == '.' && i == prefix.Length - 1)
            {
                name.Append('~');
            }
            else
            {
                name.Append(c);
            }
        }

        return name.ToString();
    }
}
