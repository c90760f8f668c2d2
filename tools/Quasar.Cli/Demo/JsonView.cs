using System.Text.Json;

namespace Quasar.Cli.Demo;

/// <summary><c>--json</c>: progress as plain lines on stderr, and the summary as the only thing on stdout.</summary>
internal sealed class JsonView : IDemoView
{
    private readonly PlainView progress = new(Console.Error);

    /// <inheritdoc/>
    public void Announce(string line) => progress.Announce(line);

    /// <inheritdoc/>
    public Task ShowAsync(Func<Action<DemoSnapshot>, Task> body) => progress.ShowAsync(body);

    /// <inheritdoc/>
    public void Finish(DemoSummary summary) => Console.Out.WriteLine(JsonSerializer.Serialize(summary, DemoJson.Default.DemoSummary));
}
