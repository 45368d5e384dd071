using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// The backend seam: every tensor reports its device (the CPU, printed as PyTorch prints it) and computes through
/// that device's <see cref="IBackend"/>; the op files that go through the seam reach neither the kernels nor the
/// buffer pool themselves, so a second device can be added without editing them.
/// </summary>
public sealed class BackendSeamTests
{
    /// <summary>
    /// The op folders already converted: their files call <c>x.Backend</c>. The rest (Math, Reductions, Comparison,
    /// Indexing, Joining, Views, LinearAlgebra, Creation, Losses) still call Kernels directly.
    /// </summary>
    private static readonly string[] s_convertedFolders = ["", "Activations", "Convolution"];

    private static string OpsRoot
    {
        get
        {
            string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Autograd", "Ops"));
            Directory.Exists(root).Should().BeTrue(root);
            return root;
        }
    }

    [Fact]
    public void Device_IsTheCpu_PrintedAsPyTorchPrintsIt()
    {
        Tensor x = Tensor.From([1f, 2f]);
        x.Device.Should().Be(Device.Cpu);
        x.Device.Type.Should().Be(DeviceType.Cpu);
        x.Device.Index.Should().BeNull();   // torch.device("cpu").index is None
        x.Device.ToString().Should().Be("cpu");
        $"{(x * 2f).Device}".Should().Be("cpu");

        // PyTorch's repr names no device for CPU tensors.
        x.ToString().Should().Be("tensor([1., 2.])");
    }

    [Fact]
    public void ToCpu_IsTheTensorItself()
    {
        Tensor x = Tensor.From([1f, 2f], requiresGrad: true);
        x.To(Device.Cpu).Should().BeSameAs(x);
        x.Cpu().Should().BeSameAs(x);
    }

    [Fact]
    public void EveryCpuTensor_ComputesThroughTheOneCpuBackend()
    {
        Tensor x = Tensor.From([1f, 2f]);
        x.Backend.Should().BeSameAs(CpuBackend.Instance);
        x.Backend.Device.Should().Be(x.Device);
        Tensor.Ones([2, 3], DType.Float64).T.Backend.Should().BeSameAs(CpuBackend.Instance);
    }

    [Fact]
    public void Binary_ComputesTheOperatorItNames_WithBroadcasting()
    {
        Tensor a = Tensor.From([1f, 2f, 3f, 4f], [2, 2]), b = Tensor.From([10f, 20f]);
        IBackend backend = a.Backend;
        backend.Binary(BinaryOp.Add, a, b).ToArray<float>().Should().Equal(11f, 22f, 13f, 24f);
        backend.Binary(BinaryOp.Subtract, a, b).ToArray<float>().Should().Equal(-9f, -18f, -7f, -16f);
        backend.Binary(BinaryOp.Multiply, a, b).ToArray<float>().Should().Equal(10f, 40f, 30f, 80f);
        backend.Binary(BinaryOp.Divide, b, a).ToArray<float>().Should().Equal(10f, 10f, 10f / 3f, 5f);

        // floor_divide keeps integers: ⌊−7 / 2⌋ = −4, ⌊7 / 2⌋ = 3.
        Tensor n = Tensor.From([-7f, 7f]).Long();
        Tensor two = Tensor.From([2f, 2f]).Long();
        Tensor q = backend.Binary(BinaryOp.FloorDivide, n, two);
        q.DType.Should().Be(DType.Int64);
        q.ToArray<long>().Should().Equal(-4L, 3L);

        // scalar first: 1 / x.
        backend.BinaryScalar(BinaryOp.Divide, b, 1f, scalarFirst: true).ToArray<float>().Should().Equal(0.1f, 0.05f);
    }

    [Fact]
    public void FusedUnaryBackward_Applies_OnlyWhenNoGraphIsRecorded()
    {
        // relu: ∂L/∂x = g ⊙ [out > 0]; out = [0, 2, 0.5], g = [3, 4, 5] gives [0, 4, 5].
        Tensor output = Tensor.From([0f, 2f, 0.5f]), grad = Tensor.From([3f, 4f, 5f]);
        using (GradMode.NoGrad())
        {
            output.Backend.FusedUnaryBackward(UnaryOp.Relu, grad, output)!.ToArray<float>().Should().Equal(0f, 4f, 5f);

            // No fused kernel for exp: the node composes its formula.
            output.Backend.FusedUnaryBackward(UnaryOp.Exp, grad, output).Should().BeNull();
        }

        // With grad mode on (createGraph), the gradient must be built from recorded tensor ops.
        output.Backend.FusedUnaryBackward(UnaryOp.Relu, grad, output).Should().BeNull();
    }

    [Fact]
    public void Storage_FromTheBackend_HasTheShape_AndZerosAreZero()
    {
        IBackend backend = Tensor.Ones(1).Backend;
        Tensor empty = backend.Empty([2, 3]);
        empty.Shape.ToArray().Should().Equal(2, 3);
        empty.DType.Should().Be(DType.Float32);
        Tensor zeros = backend.Zeros([4, 5000]);   // past the pooled size, so a rented (possibly used) array
        zeros.ToArray<float>().Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void ConvertedOpFiles_NeitherReachTheKernels_NorRentFromThePool()
    {
        string root = OpsRoot;
        string[] files = [.. s_convertedFolders.SelectMany(folder =>
            Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.TopDirectoryOnly))];
        files.Length.Should().BeGreaterThan(30);   // 21 top-level files, 15 activations, 2 convolution files
        string[] offending = [.. files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal)
                && (x.line.Contains("Kernels.", StringComparison.Ordinal)
                    || x.line.Contains("using Autograd.Kernels", StringComparison.Ordinal)
                    || x.line.Contains("BufferPool", StringComparison.Ordinal)
                    || x.line.Contains("GC.KeepAlive(", StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.line.Trim()}")];
        offending.Should().BeEmpty();
    }

    [Fact]
    public void NoOpFile_RentsFromThePool()
    {
        // Pooling stays behind the seam in every op folder, converted or not.
        string root = OpsRoot;
        string[] offending = [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal) && x.line.Contains("BufferPool", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.line.Trim()}")];
        offending.Should().BeEmpty();
    }
}
