using Spectre.Console;

namespace Quasar.Cli.Demo;

/// <summary>The live dashboard: one screen redrawn in place every second (Spectre.Console live display).</summary>
/// <param name="settings">The run's settings, shown in the title.</param>
internal sealed class LiveView(DemoSettings settings) : IDemoView
{
    /// <inheritdoc/>
    public void Announce(string line) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");

    /// <inheritdoc/>
    public Task ShowAsync(Func<Action<DemoSnapshot>, Task> body) =>
        AnsiConsole.Live(new Markup("[grey]starting...[/]"))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(context => body(snapshot =>
            {
                context.UpdateTarget(Dashboard.Render(settings, snapshot, AnsiConsole.Profile.Width));
                context.Refresh();
            }));

    /// <inheritdoc/>
    public void Finish(DemoSummary summary)
    {
        bool first = true;
        foreach (string line in SummaryText.Lines(summary))
        {
            AnsiConsole.MarkupLine(first ? $"[bold]{Markup.Escape(line)}[/]" : Markup.Escape(line));
            first = false;
        }
    }
}
