namespace Quasar.CrashWriter;

/// <summary>
/// Keeps the queue's table near its rewrite threshold: sets a few ballast names
/// (<see cref="CrashProtocol.BallastPrefix"/>) to thousands of positions over and over, so the file
/// grows by tens of kilobytes a set and is rewritten every few dozen sets, while the consumers'
/// marks and the cleaner's syncs compete for the same table. Ballast positions lie above
/// <see cref="CrashProtocol.BallastBase"/>, so they never hold the cleaner back.
/// </summary>
internal static class TableBallast
{
    private const int Names = 4;

    /// <summary>Starts the ballast loop on its own thread; it runs until the process is killed, reporting failures on stderr.</summary>
    public static Task Start(Table table, Random random) => Task.Run(() =>
    {
        try
        {
            while (true)
            {
                var positions = new ulong[random.Next(2048, 8193)];
                ulong first = CrashProtocol.BallastBase + (ulong)random.Next(1_000_000);
                for (int i = 0; i < positions.Length; i++)
                {
                    positions[i] = first + (ulong)i;
                }

                table.Set(CrashProtocol.BallastPrefix + random.Next(Names), positions);
                Thread.Sleep(random.Next(0, 4)); // leaves the table lock to the consumers' marks now and then
            }
        }
        catch (ObjectDisposedException)
        {
            // the process is exiting
        }
#pragma warning disable CA1031 // the test fails on any stderr output
        catch (Exception error)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"ballast: {error}");
        }
    });
}
