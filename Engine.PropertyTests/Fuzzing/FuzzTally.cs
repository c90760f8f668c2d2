using System.Globalization;
using System.Text;
using Quasar.Storage;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>The figures of a fuzz run: verdicts per store, per case and per kind of first mutation, and the notes on what repairs lost.</summary>
internal sealed class FuzzTally
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private int cases;

    public void Add(IReadOnlyList<Mutation> mutations, FuzzResult result, string directory)
    {
        cases++;
        IReadOnlyList<StoreOutcome> outcomes = result.Outcomes;
        StoreVerdict worst = outcomes.Max(o => o.Verdict);
        string kind = mutations[0].GetType().Name;
        Count($"case {worst}");
        Count($"first mutation {kind,-14} {worst}");
        foreach (StoreOutcome outcome in outcomes)
        {
            Count($"store {outcome.Store,-17} {outcome.Verdict}");
            if (outcome.Verdict == StoreVerdict.Repaired)
            {
                Count($"repair: {outcome.Note}");
            }

            string store = Path.Combine(directory, outcome.Store);
            if (outcome.Verdict != StoreVerdict.Detected && FuzzCase.Errors(result.CheckerBefore, store).Any())
            {
                Count($"checker error before open, engine {outcome.Verdict}");
            }

            if (outcome.Verdict != StoreVerdict.Detected && FuzzCase.Errors(result.CheckerAfter, store).Any())
            {
                Count($"checker error after the engine closed a store it found {outcome.Verdict}");
            }
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{cases} mutated stores\n");
        foreach ((string key, int count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {key}: {count} ({100.0 * count / Math.Max(1, cases):F1}% of cases)\n");
        }

        return text.ToString();
    }

    private void Count(string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
