using Microsoft.Extensions.Options;

namespace Quasar.Hosting;

/// <summary>Collects what is wrong with the options at start, each failure naming its field (<c>Queues[orders].MaxAge</c>).</summary>
internal sealed class OptionFailures
{
    private readonly List<string> failures = [];

    /// <summary>The outcome: success, or every failure collected.</summary>
    public ValidateOptionsResult Result => failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    /// <summary>Adds a failure in the caller's words.</summary>
    public void Add(string failure) => failures.Add(failure);

    /// <summary>Fails <paramref name="field"/> when <paramref name="value"/> is below <paramref name="minimum"/>.</summary>
    public void AtLeast(string field, long value, long minimum)
    {
        if (value < minimum)
        {
            Add(minimum == 0 ? $"{field} must not be negative; got {value}." : $"{field} must be at least {minimum}; got {value}.");
        }
    }

    /// <summary>
    /// Fails <paramref name="field"/>, a wait the engine arms a timer for, when it is negative or
    /// longer than the longest timer (else the engine would refuse it only when the queue, producer
    /// or consumer is created, after the host started).
    /// </summary>
    public void Wait(string field, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            Add($"{field} must not be negative; got {value}.");
        }
        else if (value > TimerLimit.Max)
        {
            Add($"{field} must be at most {TimerLimit.Max} (the longest wait a .NET timer supports); got {value}.");
        }
    }
}
