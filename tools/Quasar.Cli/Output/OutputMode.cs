namespace Quasar.Cli.Output;

/// <summary>How a command shows its progress and result.</summary>
internal enum OutputMode
{
    /// <summary>A screen redrawn in place (Spectre.Console live display); only on a terminal.</summary>
    Live,

    /// <summary>Plain lines appended as they come: for logs, pipes and <c>--no-live</c>.</summary>
    Plain,

    /// <summary>One JSON document on stdout and nothing else there; progress goes to stderr as plain lines.</summary>
    Json,
}
