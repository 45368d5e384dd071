using System.Buffers.Binary;
using System.Text;
using Autograd.Serialization;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Serialization;

/// <summary>safetensors: PyTorch-side fixtures, byte-exact writing, round trips, and every kind of corrupt or hostile file.</summary>
public class SafeTensorsTests
{
    [Fact]
    public void Load_ReadsEveryDTypeOfTheReferenceFile_BitForBit_InDataOrder()
    {
        (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) = SafeTensors.LoadWithMetadata(SerializationFixtures.PathOf("all_dtypes.safetensors"));
        var expected = SerializationFixtures.ExpectedOf("all_dtypes.safetensors");
        tensors.Keys.Should().Equal(expected.Select(e => e.Name));
        foreach ((string name, var entry) in expected)
        {
            SerializationFixtures.ShouldMatch(tensors[name], entry, name);
        }

        metadata.Should().BeEquivalentTo(SerializationFixtures.Root.GetProperty("all_dtypes.metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()));
        metadata["unicode"].Should().Be("héllo ✓");

        // Hand checks: the file's transposed [[0,1,2],[3,4,5]] is stored row-major as [[0,3],[1,4],[2,5]].
        tensors["non_contig"].ToArray<float>().Should().Equal(0, 3, 1, 4, 2, 5);
        tensors["i64"].ToArray<long>().Should().Equal(-5, 6, 7, 1L << 50);
        tensors["bool"].ToArray<bool>().Should().Equal(true, false, true, true, false);
        tensors["a_scalar"].Rank.Should().Be(0);
        tensors["z_empty"].Shape.ToArray().Should().Equal(2, 0);
    }

    [Fact]
    public void Save_OfTheLoadedDict_ReproducesTheReferenceWriterByteForByte()
    {
        string path = SerializationFixtures.PathOf("all_dtypes.safetensors");
        (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) = SafeTensors.LoadWithMetadata(path);

        // Insertion order must not matter: the writer orders by dtype alignment, then name.
        var reversed = tensors.Reverse().ToDictionary(p => p.Key, p => p.Value);
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, reversed, metadata);
        stream.ToArray().Should().Equal(File.ReadAllBytes(path));
    }

    /// <summary>The dict of <c>csharp_dict()</c> in tools/reference/safetensors_cases.py.</summary>
    internal static Dictionary<string, Tensor> CSharpDict()
    {
        var weight = new float[12];
        for (int i = 0; i < 12; i++)
        {
            weight[i] = (i - 5.5f) / 4;
        }

        return new Dictionary<string, Tensor>
        {
            ["layer.weight"] = Tensor.From(weight, [3, 4]),
            ["layer.bias"] = Tensor.From([0.25, -0.5, 1.0]),
            ["steps"] = Tensor.Scalar(42, DType.Int64),
            ["ids"] = Tensor.From([3, -1, 7]),
            ["mask"] = Tensor.From([true, false, true]),
            ["half"] = Tensor.From([(Half)1.5f, (Half)(-0.25f)]),
            ["bhalf"] = Tensor.From([1.5f, -0.25f]).BFloat16(),
        };
    }

    [Fact]
    public void WriterMatchesCommittedFile()
    {
        // csharp_written.safetensors is this writer's output for CSharpDict; safetensors_cases.py checks that torch reads
        // it with the same values and that the Python writer gives the same bytes. Regenerate with AUTOGRAD_WRITE_FIXTURES=1.
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, CSharpDict(), new Dictionary<string, string> { ["written_by"] = "Autograd" });
        byte[] written = stream.ToArray();
        if (Environment.GetEnvironmentVariable("AUTOGRAD_WRITE_FIXTURES") == "1")
        {
            File.WriteAllBytes(SerializationFixtures.SourcePathOf("csharp_written.safetensors"), written);
        }

        written.Should().Equal(File.ReadAllBytes(SerializationFixtures.PathOf("csharp_written.safetensors")));
        string header = Encoding.UTF8.GetString(written, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(written));
        header.Should().StartWith("{\"__metadata__\":{\"written_by\":\"Autograd\"},\"steps\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"layer.bias\":");
        (header.Length % 8).Should().Be(0);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Bool)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void RoundTrip_KeepsDTypeShapeAndBits_OfStridedInput(DType dtype)
    {
        Tensor source = (Tensor.Arange(0, 24, 1, DType.Float64) - 7.0).Reshape(2, 3, 4).Transpose(0, 2).To(dtype);
        Tensor strided = source.Transpose(0, 1);   // non-contiguous: the writer must write row-major
        string path = Path.Combine(Path.GetTempPath(), $"autograd-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = strided, ["s"] = Tensor.Scalar(-1, dtype) });
            Dictionary<string, Tensor> back = SafeTensors.Load(path);
            back["x"].DType.Should().Be(dtype);
            back["x"].Shape.ToArray().Should().Equal(3, 4, 2);
            SerializationFixtures.BytesOf(back["x"]).Should().Equal(SerializationFixtures.BytesOf(strided));
            back["s"].Rank.Should().Be(0);
            back["s"].Item<double>().Should().Be(dtype == DType.Bool ? 1 : -1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FromAStreamThatCannotSeek_AndEmptyDict()
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor>());
        stream.ToArray().Should().Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 });
        SafeTensors.Load(new ForwardOnly(stream.ToArray())).Should().BeEmpty();

        using var other = new MemoryStream();
        SafeTensors.Save(other, CSharpDict());
        Dictionary<string, Tensor> back = SafeTensors.Load(new ForwardOnly(other.ToArray()));
        back["layer.weight"].ToArray<float>()[0].Should().Be(-5.5f / 4);   // (0 − 5.5) / 4
    }

    [Fact]
    public void Save_RefusesTheReservedName()
    {
        var act = () => SafeTensors.Save(new MemoryStream(), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Zeros(1) });
        act.Should().Throw<ArgumentException>().WithMessage("*reserved*");
    }

    [Fact]
    public void Reader_AcceptsAnyHeaderOrder_AndReturnsDataOrder()
    {
        byte[] file = Build("{\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", [0, 0, 0x80, 0x3f, 5, 0, 0, 0]);
        Dictionary<string, Tensor> tensors = SafeTensors.Load(new MemoryStream(file));
        tensors.Keys.Should().Equal("a", "b");
        tensors["a"].Item<float>().Should().Be(1f);   // 0x3f800000 is 1.0f
        tensors["b"].ToArray<int>().Should().Equal(5);
    }

    // ---- corrupt and hostile files --------------------------------------------------------------------------------

    private const string OneF32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /// <summary>8-byte length + header (padded with spaces to a multiple of 8) + data.</summary>
    private static byte[] Build(string header, byte[] data, ulong? lengthOverride = null)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        int padded = (text.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, lengthOverride ?? (ulong)padded);
        text.CopyTo(file, 8);
        file.AsSpan(8 + text.Length, padded - text.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }

    private static void ShouldFail(byte[] file, string message)
    {
        var act = () => SafeTensors.Load(new MemoryStream(file));
        act.Should().Throw<SafeTensorsException>().WithMessage(message);
    }

    [Fact]
    public void Valid_BaseCaseLoads() => SafeTensors.Load(new MemoryStream(Build(OneF32, new byte[8])))["a"].ToArray<float>().Should().Equal(0f, 0f);

    [Fact]
    public void Corrupt_TooShortForTheLength() => ShouldFail([1, 2, 3], "*3 bytes long, too short*");

    [Fact]
    public void Corrupt_HeaderLengthPastTheEnd() => ShouldFail(Build(OneF32, new byte[8], lengthOverride: 4096), "*header length 4096 is past the end*");

    [Fact]
    public void Hostile_HeaderLengthOverTheLimit_AllocatesNothingLarge()
    {
        byte[] file = Build(OneF32, new byte[8], lengthOverride: ulong.MaxValue);
        ShouldFail(file, "*header length 18446744073709551615 is over the 100000000-byte limit*");

        // A length under the limit but past the end of a small file must be refused before the header is allocated.
        byte[] lying = Build(OneF32, new byte[8], lengthOverride: 99_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ShouldFail(lying, "*past the end*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1_000_000);
    }

    [Fact]
    public void Corrupt_HeaderNotAnObject()
    {
        ShouldFail(Build("[1, 2]", []), "*must begin with '{'*");
        ShouldFail(Build("{\"a\": ", []), "*not valid UTF-8 JSON*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} {}", new byte[4]), "*not valid UTF-8 JSON*");
        byte[] badUtf8 = Build("{\"a\":1}", []);
        badUtf8[10] = 0xff;
        ShouldFail(badUtf8, "*not valid UTF-8 JSON*");
        ShouldFail(Build("{\"a\":[1]}", []), "*tensor 'a' must be an object*");
    }

    [Fact]
    public void Corrupt_MissingOrMistypedFields()
    {
        ShouldFail(Build("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "*no string 'dtype'*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]), "*no array 'shape'*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]), "*no 'data_offsets' pair*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", new byte[8]), "*shape entry 2.5 that is not an integer*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8]), "*end before they begin*");
    }

    [Fact]
    public void Corrupt_MetadataNotStrings()
    {
        ShouldFail(Build("{\"__metadata__\":{\"k\":1}}", []), "*__metadata__ value 'k' must be a string*");
        ShouldFail(Build("{\"__metadata__\":\"x\"}", []), "*__metadata__ must be an object*");
    }

    [Fact]
    public void Corrupt_OffsetsPastTheEnd() =>
        ShouldFail(Build(OneF32, new byte[4]), "*tensor 'a' (data_offsets [0, 8]) runs past the end of the data (4 bytes)*");

    [Fact]
    public void Corrupt_TruncatedData()
    {
        byte[] full = Build("{\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]}}", new byte[32]);
        ShouldFail(full[..^5], "*runs past the end of the data (27 bytes)*truncated*");
    }

    [Fact]
    public void Corrupt_OverlappingRanges() => ShouldFail(
        Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
        "*tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a', which ends at 8*");

    [Fact]
    public void Corrupt_HoleBetweenRanges() => ShouldFail(
        Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
        "*bytes [4, 8) between tensor 'a' and tensor 'b' belong to no tensor*");

    [Fact]
    public void Corrupt_HoleAtTheStart_AndBytesAfterTheLast()
    {
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "*bytes [0, 4) between the start of the data and tensor 'a'*");
        ShouldFail(Build(OneF32, new byte[12]), "*4 bytes after the last tensor belong to no tensor*");
    }

    [Fact]
    public void Corrupt_UnknownAndUnsupportedDTypes()
    {
        ShouldFail(Build("{\"a\":{\"dtype\":\"F99\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "*tensor 'a' has unknown dtype 'F99'*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}", new byte[8]), "*dtype U8, which this library has no tensors of*");
    }

    [Fact]
    public void Corrupt_ShapeDisagreesWithTheByteRange()
    {
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "*dtype F32 and shape [3] needs 12 bytes, but its data_offsets [0, 8] span 8*");

        // A shape whose product overflows must not wrap around to the byte range (2^32 · 2^32 · 4 = 2^66 ≡ 0 bytes).
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", []), "*more than a tensor here can hold*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,16],\"data_offsets\":[0,0]}}", []), "*needs more bytes than can be counted*");
    }

    [Fact]
    public void Corrupt_NegativeDimensionsAndOffsets()
    {
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]), "*negative shape entry -2*");
        ShouldFail(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", new byte[8]), "*negative data_offsets entry -8*");
    }

    [Fact]
    public void Corrupt_DuplicateNames() => ShouldFail(
        Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
        "*the name 'a' appears twice*");

    [Fact]
    public void Bool_AnyNonzeroByteIsTrue()
    {
        Tensor t = SafeTensors.Load(new MemoryStream(Build("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", [0, 1, 7])))["m"];
        t.ToArray<bool>().Should().Equal(false, true, true);
    }

    /// <summary>A read-only stream that cannot seek.</summary>
    private sealed class ForwardOnly(byte[] data) : MemoryStream(data, false)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
