using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using FluentAssertions;

namespace Autograd.Tests.Serialization;

/// <summary>The files of Fixtures/serialization (written by tools/reference/safetensors_cases.py) and the bytes PyTorch expects of each tensor.</summary>
internal static class SerializationFixtures
{
    internal static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "serialization", name);

    /// <summary>Fixtures/serialization in the source tree (for regenerating a committed file).</summary>
    internal static string SourcePathOf(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures", "serialization", name);

    private static readonly Lazy<JsonDocument> Expected = new(() => JsonDocument.Parse(File.ReadAllText(PathOf("expected.json"))));

    /// <summary>The entries PyTorch recorded for <paramref name="file"/>, in order.</summary>
    internal static List<(string Name, JsonElement Entry)> ExpectedOf(string file) =>
        Expected.Value.RootElement.GetProperty(file).EnumerateObject().Select(p => (p.Name, p.Value)).ToList();

    internal static JsonElement Root => Expected.Value.RootElement;

    /// <summary>The row-major little-endian bytes of <paramref name="t"/>, read through the public ToArray.</summary>
    internal static byte[] BytesOf(Tensor t) => t.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(t.ToArray<float>().AsSpan()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes(t.ToArray<double>().AsSpan()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes(t.ToArray<long>().AsSpan()).ToArray(),
        DType.Int32 => MemoryMarshal.AsBytes(t.ToArray<int>().AsSpan()).ToArray(),
        DType.Bool => MemoryMarshal.AsBytes(t.ToArray<bool>().AsSpan()).ToArray(),
        DType.Float16 => MemoryMarshal.AsBytes(t.ToArray<Half>().AsSpan()).ToArray(),
        DType.BFloat16 => MemoryMarshal.AsBytes(t.ToArray<ushort>().AsSpan()).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Asserts that <paramref name="actual"/> has the dtype, shape and exact bytes PyTorch recorded.</summary>
    internal static void ShouldMatch(Tensor actual, JsonElement entry, string because)
    {
        ("torch." + entry.GetProperty("dtype").GetString()).Should().Be(actual.DType.TorchName(), because);
        actual.Shape.ToArray().Should().Equal(entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), because);
        Convert.ToHexStringLower(BytesOf(actual)).Should().Be(entry.GetProperty("hex").GetString(), because);
    }
}
