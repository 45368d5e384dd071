using System.Globalization;
using System.Text.Json;
using Autograd.Tests.Reference;

namespace Autograd.Tests.Optim;

/// <summary>Reads <c>Fixtures/optim_cases.json</c>, written by <c>tools/reference/optim_cases.py</c>.</summary>
internal static class OptimFixture
{
    internal static readonly JsonElement Root = LoadRoot();

    internal static Dictionary<string, JsonElement> Section(string name) =>
        Root.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>A float64 stored as a 16-digit hex bit pattern.</summary>
    internal static double Hex(JsonElement e) =>
        BitConverter.Int64BitsToDouble(long.Parse(e.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    internal static Tensor Tensor(JsonElement e) => ReferenceFixture.ToTensor(e);

    private static JsonElement LoadRoot()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "optim_cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
