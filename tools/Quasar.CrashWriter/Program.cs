using Quasar.CrashWriter;

// The child process of Engine.Tests' crash tests: it writes to a store until the test kills it
// with SIGKILL (or, in the disk-full mode, until a call fails). The first argument picks the mode
// (CrashProtocol.cs states what both sides agree on):
//   ledger (Recovery/CrashTests.cs):        LedgerWriter.cs
//   table (Recovery/TableCrashTests.cs):    TableWriter.cs
//   queue (Recovery/QueueCrashTests.cs):    QueueWriter.cs
//   diskfull (Recovery/DiskFullTests.cs):   DiskFullWriter.cs
return args.Length > 0 && args[0] == CrashProtocol.TableMode ? TableWriter.Run(args.AsSpan(1))
    : args.Length > 0 && args[0] == CrashProtocol.QueueMode ? QueueWriter.Run(args.AsSpan(1))
    : args.Length > 0 && args[0] == CrashProtocol.DiskFullMode ? DiskFullWriter.Run(args.AsSpan(1))
    : LedgerWriter.Run(args);
