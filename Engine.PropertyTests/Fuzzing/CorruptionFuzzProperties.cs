using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Quasar.Storage;
using Quasar.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// Corruption fuzzing (issue 12, deliverable 4): every file kind the engine writes is mutated
/// (flips, truncations, zeroed pages, appended garbage, deletions, swaps, copies) and the store
/// opened and read in full must either return correct data or throw
/// <see cref="CorruptionException"/> naming the file and offset (<see cref="FuzzCase"/> says
/// exactly what is checked), never another exception, never hang.
/// </summary>
/// <remarks>
/// <c>QUASAR_FUZZ_STORES</c> sets how many mutated stores a run checks (default 200, for CI: a few seconds);
/// <c>QUASAR_FUZZ_SEED</c> the seed (default fixed). Store i is generated from seed + i alone, so
/// a failure prints the line that replays exactly that store:
/// <c>QUASAR_FUZZ_SEED=&lt;seed + i&gt; QUASAR_FUZZ_STORES=1</c>.
/// </remarks>
public sealed class CorruptionFuzzProperties(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 12_000_004;
    private const int DefaultStores = 200;
    private const int GenSize = 50;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    private static int Stores => int.TryParse(Environment.GetEnvironmentVariable("QUASAR_FUZZ_STORES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : DefaultStores;

    private static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("QUASAR_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong s) ? s : DefaultSeed;

    [Fact]
    public async Task A_mutated_store_opens_and_reads_correct_data_or_throws_CorruptionException_naming_file_and_offset()
    {
        using BaseStore store = BaseStore.Build();
        using var temp = new TempDirectory();
        Gen<Mutation[]> mutations = MutationGen.Of(store);
        var tally = new FuzzTally();
        ulong seed = Seed;
        output.WriteLine($"fuzzing {Stores} mutated stores from seed {seed} (QUASAR_FUZZ_SEED, QUASAR_FUZZ_STORES)");
        for (int i = 0; i < Stores; i++)
        {
            ulong caseSeed = seed + (ulong)i;
            Mutation[] mutation = mutations.Sample(GenSize, new Rnd(caseSeed), 1)[0];
            string directory = Path.Combine(temp.Path, i.ToString(CultureInfo.InvariantCulture));
            var damage = new Damage();
            FuzzResult result;
            try
            {
                result = await Task.Run(() => FuzzCase.Run(store, mutation, directory, damage)).WaitAsync(CaseTimeout);
            }
            catch (Exception cause)
            {
                throw new XunitException(
                    $"mutated store #{i} failed; replay with QUASAR_FUZZ_SEED={caseSeed} QUASAR_FUZZ_STORES=1\n"
                    + $"mutations: {string.Join(", ", mutation.Select(m => m.ToString()))}\n"
                    + $"applied: {damage}\n{cause.GetType().Name}: {cause.Message}",
                    cause);
            }

            tally.Add(mutation, result, directory);
            Directory.Delete(directory, recursive: true);
        }

        output.WriteLine(tally.ToString());
    }
}
