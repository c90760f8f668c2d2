using Quasar.Storage.Files;

namespace Quasar.Tests.Contracts;

/// <summary>The file-system contract for the real file system the engine uses by default.</summary>
public sealed class PhysicalFileSystemContractTests() : FileSystemContract(PhysicalFileSystem.Instance);
