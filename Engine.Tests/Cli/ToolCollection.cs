namespace Quasar.Tests.Cli;

/// <summary>
/// The tests that run the quasar tool as a child process: a demo at full load, or a pack and a
/// tool install, takes both cores of a small machine, so they run on their own rather than beside
/// tests whose bounded waits they could starve.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ToolCollection
{
    public const string Name = "quasar tool";
}
