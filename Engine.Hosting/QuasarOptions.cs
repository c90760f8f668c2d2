using Quasar.Storage.Files;

namespace Quasar.Hosting;

/// <summary>
/// What <see cref="QuasarServiceCollectionExtensions.AddQuasar(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{QuasarOptions})"/>
/// opens: one <see cref="Db"/> in <see cref="Directory"/> and the named <see cref="Queues"/>.
/// Validated when the host starts; a bad value fails the start with an
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming the field.
/// </summary>
public sealed class QuasarOptions
{
    /// <summary>The directory of the database (created when missing). Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Makes every write durable before it is acknowledged (<see cref="DbOptions.SyncWrites"/>).</summary>
    public bool SyncWrites { get; set; }

    /// <summary>The roll size of ledger segment files (<see cref="DbOptions.SegmentSize"/>).</summary>
    public long SegmentSize { get; set; } = new DbOptions().SegmentSize;

    /// <summary>The queues, by name; a name is also the key under which the queue and its producer are registered.</summary>
    public IDictionary<string, QuasarQueueOptions> Queues { get; } = new Dictionary<string, QuasarQueueOptions>(StringComparer.Ordinal);

    /// <summary>The Db's file system seam (<see cref="DbOptions.FileSystem"/>); tests substitute one that injects faults.</summary>
    internal IFileSystem? FileSystem { get; set; }
}
