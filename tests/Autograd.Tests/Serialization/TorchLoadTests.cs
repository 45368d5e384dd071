using System.IO.Compression;
using System.Text;
using Autograd.Serialization;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Serialization;

/// <summary>torch.save zip checkpoints: files written by PyTorch 1.13, and hand-built hostile or corrupt ones.</summary>
public class TorchLoadTests
{
    [Fact]
    public void Load_StateDictWrittenByTorch_MatchesBitForBit_InOrder()
    {
        Dictionary<string, Tensor> sd = TorchLoad.Load(SerializationFixtures.PathOf("torch_state_dict.pt"));
        var expected = SerializationFixtures.ExpectedOf("torch_state_dict.pt");
        sd.Keys.Should().Equal(expected.Select(e => e.Name));
        foreach ((string name, var entry) in expected)
        {
            SerializationFixtures.ShouldMatch(sd[name], entry, name);
        }
    }

    [Fact]
    public void Load_HonoursOffsetsAndStrides_OfViewsSharingOneStorage()
    {
        Dictionary<string, Tensor> sd = TorchLoad.Load(SerializationFixtures.PathOf("torch_state_dict.pt"));
        float[] w = sd["weight"].ToArray<float>();   // 3×4

        // weight_t is weight.t(): element [i, j] is weight[j, i] (storage offset 0, strides (1, 4)).
        sd["weight_t"].Shape.ToArray().Should().Equal(4, 3);
        sd["weight_t"].ToArray<float>()[(2 * 3) + 1].Should().Be(w[(1 * 4) + 2]);

        // row1 is weight[1]: offset 4 into the same storage.
        sd["row1"].ToArray<float>().Should().Equal(w[4..8]);

        // arange(20).reshape(4, 5)[::2, 1::2]: offset 1, strides (10, 2) → [[1, 3], [11, 13]].
        sd["strided"].ToArray<double>().Should().Equal(1, 3, 11, 13);
        sd["strided"].IsContiguous.Should().BeTrue();
        sd["count"].Item<long>().Should().Be(7);
        sd["empty"].Shape.ToArray().Should().Equal(0, 3);
    }

    [Fact]
    public void Load_ModuleStateDict_WithItsMetadataBuild()
    {
        Dictionary<string, Tensor> sd = TorchLoad.Load(SerializationFixtures.PathOf("torch_module.pt"));
        sd.Keys.Should().Equal("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "2.weight", "2.bias");
        foreach ((string name, var entry) in SerializationFixtures.ExpectedOf("torch_module.pt"))
        {
            SerializationFixtures.ShouldMatch(sd[name], entry, name);
        }

        sd["1.running_mean"].ToArray<float>().Should().Equal(0.5f, -0.5f);
        sd["1.num_batches_tracked"].DType.Should().Be(DType.Int64);
        sd["1.num_batches_tracked"].Item<long>().Should().Be(3);
        sd["0.weight"].RequiresGrad.Should().BeFalse();
    }

    [Fact]
    public void Load_Parameters_KeepRequiresGrad()
    {
        Dictionary<string, Tensor> sd = TorchLoad.Load(SerializationFixtures.PathOf("torch_parameters.pt"));
        foreach ((string name, var entry) in SerializationFixtures.ExpectedOf("torch_parameters.pt"))
        {
            SerializationFixtures.ShouldMatch(sd[name], entry, name);
            sd[name].RequiresGrad.Should().Be(entry.GetProperty("requires_grad").GetBoolean());
        }
    }

    // ---- hand-built checkpoints --------------------------------------------------------------------------------------

    /// <summary>A pickle as torch.save writes it for <c>OrderedDict(a=tensor)</c>, with the tensor's parts as arguments.</summary>
    private static byte[] Pickle(string storageClass = "FloatStorage", int numel = 4, int offset = 0, int[]? size = null, int[]? stride = null, string key = "0", byte[]? prefix = null)
    {
        size ??= [numel];
        stride ??= [1];
        var p = new List<byte> { 0x80, 2 };
        void Global(string module, string name) => p.AddRange(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
        void Str(string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            p.Add((byte)'X');
            p.AddRange(BitConverter.GetBytes(b.Length));
            p.AddRange(b);
        }

        void Int(int v)
        {
            p.Add((byte)'J');
            p.AddRange(BitConverter.GetBytes(v));
        }

        void Tuple(int[] values)
        {
            p.Add((byte)'(');
            foreach (int v in values)
            {
                Int(v);
            }

            p.Add((byte)'t');
        }

        p.AddRange(prefix ?? []);
        Global("collections", "OrderedDict");
        p.AddRange([(byte)')', (byte)'R', (byte)'(']);
        Str("a");
        Global("torch._utils", "_rebuild_tensor_v2");
        p.AddRange([(byte)'(', (byte)'(']);
        Str("storage");
        Global("torch", storageClass);
        Str(key);
        Str("cpu");
        Int(numel);
        p.AddRange([(byte)'t', (byte)'Q']);
        Int(offset);
        Tuple(size);
        Tuple(stride);
        p.Add(0x89);
        Global("collections", "OrderedDict");
        p.AddRange([(byte)')', (byte)'R', (byte)'t', (byte)'R', (byte)'u', (byte)'.']);
        return [.. p];
    }

    private static byte[] Zip(byte[] pickle, params (string Name, byte[] Data)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] data) in entries.Prepend(("archive/data.pkl", pickle)))
            {
                using Stream s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
        }

        return stream.ToArray();
    }

    private static readonly byte[] FourFloats = [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f), .. BitConverter.GetBytes(3f), .. BitConverter.GetBytes(4f)];

    private static void ShouldFail(byte[] file, string message)
    {
        var act = () => TorchLoad.Load(new MemoryStream(file));
        act.Should().Throw<TorchLoadException>().WithMessage(message);
    }

    [Fact]
    public void HandBuilt_BaseCaseLoads_WithOffsetAndStride()
    {
        TorchLoad.Load(new MemoryStream(Zip(Pickle(), ("archive/data/0", FourFloats))))["a"].ToArray<float>().Should().Equal(1, 2, 3, 4);

        // offset 1, size (2,), stride (2,) → storage[1], storage[3].
        Tensor t = TorchLoad.Load(new MemoryStream(Zip(Pickle(offset: 1, size: [2], stride: [2]), ("archive/data/0", FourFloats))))["a"];
        t.ToArray<float>().Should().Equal(2, 4);

        // size (2, 3) with stride (0, 1) is an expanded view: both rows are storage[0..3].
        Tensor e = TorchLoad.Load(new MemoryStream(Zip(Pickle(size: [2, 3], stride: [0, 1]), ("archive/data/0", FourFloats))))["a"];
        e.ToArray<float>().Should().Equal(1, 2, 3, 1, 2, 3);
    }

    [Fact]
    public void Hostile_AnyOtherGlobalIsRefused_ByName_AndNothingRuns()
    {
        // The classic payload: os.system('echo pwned') through REDUCE. Refused at the GLOBAL, before any call.
        byte[] payload = [0x80, 2, .. Encoding.ASCII.GetBytes("cos\nsystem\n"), (byte)'X', 11, 0, 0, 0, .. Encoding.ASCII.GetBytes("echo pwned"), (byte)'!', 0x85, (byte)'R', (byte)'.'];
        ShouldFail(Zip(payload), "*refusing the global 'os.system'*no code*");
        ShouldFail(Zip(Pickle(prefix: Encoding.ASCII.GetBytes("cbuiltins\neval\n0"))), "*refusing the global 'builtins.eval'*");
        ShouldFail(Zip(Pickle(storageClass: "ByteStorage"), ("archive/data/0", new byte[4])), "*torch.ByteStorage*no tensors of*");
    }

    [Fact]
    public void Corrupt_TensorOutsideItsStorage()
    {
        ShouldFail(Zip(Pickle(offset: 2, size: [3]), ("archive/data/0", FourFloats)), "*offset 2 with size (3) and stride (1) reaches element 4 of storage '0', which has 4*");
        ShouldFail(Zip(Pickle(size: [2, 2], stride: [3, 1]), ("archive/data/0", FourFloats)), "*reaches element 4*");
        ShouldFail(Zip(Pickle(offset: -1), ("archive/data/0", FourFloats)), "*offset -1*");
        ShouldFail(Zip(Pickle(size: [-4]), ("archive/data/0", FourFloats)), "*not non-negative integers*");
    }

    [Fact]
    public void Corrupt_StorageMissingOrOfTheWrongSize_OrBadKey()
    {
        ShouldFail(Zip(Pickle()), "*storage 'archive/data/0' is missing*");
        ShouldFail(Zip(Pickle(), ("archive/data/0", new byte[12])), "*has 12 bytes, but 4 elements of torch.float32 need 16*");
        ShouldFail(Zip(Pickle(numel: 1_000_000, size: [1]), ("archive/data/0", FourFloats)), "*has 16 bytes*");
        ShouldFail(Zip(Pickle(key: "../../etc/passwd"), ("archive/data/0", FourFloats)), "*storage key '../../etc/passwd' is not a file name*");
    }

    [Fact]
    public void Corrupt_PickleAndArchive()
    {
        byte[] good = Pickle();
        ShouldFail(Zip(good[..^10], ("archive/data/0", FourFloats)), "*truncated*");
        ShouldFail(Zip([0x80, 2, 0xfe, (byte)'.']), "*unsupported pickle opcode 0xfe at byte 2*");
        ShouldFail(Zip([0x80, 2, (byte)'h', 5, (byte)'.']), "*memo entry 5 read at byte 2 before it was written*");
        ShouldFail(Zip([0x80, 2, (byte)']', (byte)'.']), "*holds a list, not a state dict*");
        ShouldFail(Zip([0x80, 2, (byte)'}', (byte)'X', 1, 0, 0, 0, (byte)'k', (byte)'K', 1, (byte)'s', (byte)'.']), "*entry 'k' is the value 1, not a tensor*");
        ShouldFail([1, 2, 3, 4, 5], "*not a torch.save checkpoint*");
        ShouldFail([0x80, 2, 0x8a, 10, 0x6c, 0xfc], "*legacy*");
        ShouldFail([(byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0], "*zip archive is corrupt*");

        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("archive/other.txt");
        }

        ShouldFail(stream.ToArray(), "*no '<archive>/data.pkl'*");
    }
}
