namespace Quasar.Cli.Demo;

/// <summary>How a demo run shows itself: the live dashboard, plain lines, or JSON.</summary>
internal interface IDemoView
{
    /// <summary>A line said before the load starts (what was opened, which consumers resume).</summary>
    /// <param name="line">The line, plain text.</param>
    void Announce(string line);

    /// <summary>Runs <paramref name="body"/>, showing each snapshot it passes to the callback it gets.</summary>
    /// <param name="body">The run's reporting loop.</param>
    /// <returns>A task that completes when the body does.</returns>
    Task ShowAsync(Func<Action<DemoSnapshot>, Task> body);

    /// <summary>Shows the run's result.</summary>
    /// <param name="summary">The result.</param>
    void Finish(DemoSummary summary);
}
