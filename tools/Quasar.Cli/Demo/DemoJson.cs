using System.Text.Json.Serialization;

namespace Quasar.Cli.Demo;

/// <summary>Compile-time JSON for the demo's summary (camelCase, indented, enums by name), no reflection at run time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class DemoJson : JsonSerializerContext;
