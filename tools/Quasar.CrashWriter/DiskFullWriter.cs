namespace Quasar.CrashWriter;

/// <summary>
/// The disk-full mode, the child of Engine.Tests' Recovery/DiskFullTests.cs (storage review F1):
/// on a nearly full file system it opens the ledger and writes 1-entry batches with empty payloads
/// until a call fails. A full disk must be an <see cref="IOException"/> from the call (exit code
/// <see cref="CrashProtocol.DiskFullIOException"/>), never a SIGBUS through a memory-mapped index
/// page, which would end the process by signal 7 instead.
/// </summary>
internal static class DiskFullWriter
{
    /// <summary>Runs the mode with <c>&lt;db directory&gt; &lt;prefix&gt;</c>; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: " + CrashProtocol.DiskFullUsage);
            return 2;
        }

        using Stream stdout = Console.OpenStandardOutput();
        long acknowledged = 0;
        try
        {
            using var db = Db.Open(args[0], new DbOptions { SegmentSize = CrashProtocol.DiskFullSegmentSize });
            using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = args[1] });
            CrashProtocol.Emit(stdout, CrashProtocol.LedgerReady(ledger.Head, ledger.Tail, ledger.Length));
            while (acknowledged < CrashProtocol.DiskFullMaxWrites)
            {
                ledger.Write([new Entry(ledger.Head + 1, ReadOnlyMemory<byte>.Empty)]);
                acknowledged++;
            }

            return CrashProtocol.DiskFullNeverFailed;
        }
        catch (IOException error)
        {
            CrashProtocol.Emit(stdout, CrashProtocol.IoErrorLine(acknowledged, error.Message));
            return CrashProtocol.DiskFullIOException;
        }
        catch (Exception error)
        {
            Console.Error.WriteLine(error);
            return CrashProtocol.DiskFullOtherException;
        }
    }
}
