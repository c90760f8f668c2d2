using Quasar.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;
using SpectreTable = Spectre.Console.Table;

namespace Quasar.Cli.Demo;

/// <summary>Lays out one <see cref="DemoSnapshot"/> as the live screen: fits 120 columns by 40 rows with a handful of consumers.</summary>
internal static class Dashboard
{
    /// <summary>Consumers listed before the rest are summed up in one line, so the screen keeps its height.</summary>
    public const int ConsumersShown = 8;

    private const int ChartHeight = 5;

    /// <summary>Builds the screen.</summary>
    /// <param name="settings">The run's settings, for the title.</param>
    /// <param name="snapshot">The numbers.</param>
    /// <param name="width">The console's width in columns.</param>
    /// <returns>The renderable.</returns>
    public static IRenderable Render(DemoSettings settings, DemoSnapshot snapshot, int width)
    {
        var title = new Rule($"[bold]quasar demo[/] [grey]{Markup.Escape(settings.Directory)}[/]") { Justification = Justify.Left };
        var load = new Markup($"[grey]{Markup.Escape(settings.Describe())}[/]");
        var footer = new Markup(
            $"[grey]{snapshot.Elapsed.TotalSeconds:0} s, {Markup.Escape(snapshot.Phase)}. "
            + "Ctrl+C stops cleanly: producers flush, consumers store their positions, a rerun resumes them.[/]");
        return new Rows(title, load, Side(Throughput(snapshot), Latency(snapshot), Store(snapshot)), Consumers(snapshot), Charts(snapshot, width), footer);
    }

    private static SpectreTable Side(params IRenderable[] panels)
    {
        var row = new SpectreTable { Border = TableBorder.None, ShowHeaders = false, Expand = true };
        foreach (IRenderable _ in panels)
        {
            row.AddColumn(new TableColumn(string.Empty) { Padding = new Padding(0, 0, 1, 0) });
        }

        row.AddRow(panels);
        return row;
    }

    private static Panel Throughput(DemoSnapshot snapshot)
    {
        var grid = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        grid.AddRow("[green]sent[/]", Units.Rate(snapshot.SentPerSecond));
        grid.AddRow("[blue]received[/] [grey](all consumers)[/]", Units.Rate(snapshot.ReceivedPerSecond));
        grid.AddRow("sent this run", Units.Count(snapshot.Sent));
        grid.AddRow("received this run", Units.Count(snapshot.Received));
        grid.AddRow("failed writes", snapshot.Failed == 0 ? "0" : $"[red]{Units.Count(snapshot.Failed)}[/]");
        return Boxed("Throughput", grid);
    }

    private static Panel Latency(DemoSnapshot snapshot)
    {
        var table = new SpectreTable { Border = TableBorder.None, Expand = true }
            .AddColumn("end to end")
            .AddColumn(new TableColumn("last 1 s").RightAligned())
            .AddColumn(new TableColumn("whole run").RightAligned());
        (string Name, Func<LatencySummary, long> Value)[] rows =
        [
            ("p50", l => l.P50), ("p90", l => l.P90), ("p99", l => l.P99), ("p99.9", l => l.P999), ("max", l => l.Max),
        ];
        foreach ((string name, Func<LatencySummary, long> value) in rows)
        {
            table.AddRow(name, Units.Latency(value(snapshot.Interval)), Units.Latency(value(snapshot.Run)));
        }

        return Boxed("Latency", table);
    }

    private static Panel Store(DemoSnapshot snapshot)
    {
        StoreState store = snapshot.Store;
        var grid = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        grid.AddRow("length", Units.Count(store.Length));
        grid.AddRow("head", store.Head.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("tail", store.Tail.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("segments", store.SegmentFiles.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("on disk", Units.Bytes(store.DiskBytes));
        return Boxed($"Ledger {DemoSettings.QueuePrefix}:l", grid);
    }

    private static SpectreTable Consumers(DemoSnapshot snapshot)
    {
        var table = new SpectreTable { Border = TableBorder.Rounded, Expand = true, Title = new TableTitle("Consumers") }
            .AddColumn("name")
            .AddColumn(new TableColumn("received this run").RightAligned())
            .AddColumn(new TableColumn("msg/s").RightAligned())
            .AddColumn(new TableColumn("from earlier runs").RightAligned())
            .AddColumn(new TableColumn("stored position").RightAligned())
            .AddColumn(new TableColumn("lag (entries)").RightAligned());
        foreach (ConsumerState consumer in snapshot.Consumers.Take(ConsumersShown))
        {
            table.AddRow(
                consumer.Name,
                Units.Count(consumer.Received),
                Units.Count((long)consumer.PerSecond),
                Units.Count(consumer.FromEarlierRuns),
                consumer.StoredPosition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Units.Count(consumer.Lag));
        }

        int hidden = snapshot.Consumers.Count - ConsumersShown;
        if (hidden > 0)
        {
            table.AddRow($"[grey]+{hidden} more[/]", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
        }

        return table;
    }

    private static SpectreTable Charts(DemoSnapshot snapshot, int width)
    {
        // Two panels side by side; each loses its border (2), padding (2) and the gap between them.
        int columns = Math.Max((width / 2) - 6, 10);
        return Side(
            Chart("sent msg/s", snapshot.SentHistory, columns, "green"),
            Chart("received msg/s, all consumers", snapshot.ReceivedHistory, columns, "blue"));
    }

    private static Panel Chart(string name, IReadOnlyList<double> history, int columns, string color)
    {
        string[] rows = ColumnChart.Draw(history, columns, ChartHeight);
        double peak = history.Count == 0 ? 0 : history.TakeLast(columns).Max();
        string body = string.Join('\n', rows.Select(row => $"[{color}]{Markup.Escape(row)}[/]"));
        return Boxed($"{name}, last {Math.Min(history.Count, columns)} s, peak {Units.Count((long)peak)}", new Markup(body));
    }

    private static Panel Boxed(string header, IRenderable content) =>
        new(content) { Header = new PanelHeader(Markup.Escape(header)), Border = BoxBorder.Rounded, Expand = true };
}
