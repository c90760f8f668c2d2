using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>The file-system contract for the tests' fault-injecting file system with no faults: without a rule it must be the real one.</summary>
public sealed class FaultyFileSystemContractTests() : FileSystemContract(new FaultyFileSystem());
