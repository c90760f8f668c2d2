using System.Reflection;
using Xunit.Sdk;

namespace Quasar.Tests.Support;

/// <summary>Runs a theory taking one <c>bool cache</c> once without and once with the store's cache.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class WithAndWithoutCacheAttribute : DataAttribute
{
    /// <inheritdoc />
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[false], [true]];
}
