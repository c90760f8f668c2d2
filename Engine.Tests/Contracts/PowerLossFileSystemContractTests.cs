using Quasar.Tests.Support.PowerLoss;

namespace Quasar.Tests.Contracts;

/// <summary>The file-system contract for the power-loss file system while the power stays on: it must behave as the real one.</summary>
public sealed class PowerLossFileSystemContractTests() : FileSystemContract(new PowerLossFileSystem());
