using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Creation_FillsShapesAndValues()
    {
        Tensor.Zeros(2, 3).ToArray().Should().Equal(0f, 0f, 0f, 0f, 0f, 0f);
        Tensor.Ones(2).ToArray().Should().Equal(1f, 1f);
        Tensor.Full([2], 7f).ToArray().Should().Equal(7f, 7f);
        Tensor.Scalar(4f).Rank.Should().Be(0);
        Tensor.Scalar(4f).Count.Should().Be(1);
        Tensor.Arange(4).ToArray().Should().Equal(0f, 1f, 2f, 3f);
        Tensor.Arange(1f, 2f, 0.25f).ToArray().Should().Equal(1f, 1.25f, 1.5f, 1.75f);
        Tensor.Eye(2).ToArray().Should().Equal(1f, 0f, 0f, 1f);
        Tensor.Eye(2, 3).Shape.Should().Equal(2, 3);
        Tensor.From([1f, 2f, 3f, 4f], [2, 2])[1, 0].Should().Be(3f);
        Tensor.From(new float[,] { { 1f, 2f }, { 3f, 4f } })[0, 1].Should().Be(2f);
        Tensor.ZerosLike(Tensor.Ones(3, 1)).Shape.Should().Equal(3, 1);
        Tensor.OnesLike(Tensor.Zeros(2), requiresGrad: true).RequiresGrad.Should().BeTrue();
        Tensor.Zeros(0, 3).Count.Should().Be(0);
    }

    [Fact]
    public void Creation_RejectsBadArguments()
    {
        ((Action)(() => Tensor.Zeros(2, -1))).Should().Throw<ArgumentException>().WithMessage("Trying to create tensor with negative dimension -1*");
        ((Action)(() => Tensor.From([1f, 2f, 3f], [2, 2]))).Should().Throw<ArgumentException>().WithMessage("shape '[2, 2]' is invalid for input of size 3*");
        ((Action)(() => Tensor.Arange(0f, 1f, 0f))).Should().Throw<ArgumentException>();
        ((Action)(() => Tensor.Ones(3).Item())).Should().Throw<InvalidOperationException>().WithMessage("a Tensor with 3 elements cannot be converted to Scalar");
        ((Action)(() => _ = Tensor.Ones(3)[3])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("index 3 is out of bounds for dimension 0 with size 3*");
    }

    [Fact]
    public void Random_IsReproducibleWithManualSeed()
    {
        Tensor.ManualSeed(42);
        float[] first = Tensor.Randn(100).ToArray();
        Tensor.ManualSeed(42);
        Tensor.Randn(100).ToArray().Should().Equal(first);

        // Mean ≈ 0 and variance ≈ 1 within 5 standard errors for 10^5 samples.
        float[] many = Tensor.Randn(100_000).ToArray();
        double mean = many.Average(v => (double)v);
        double variance = many.Average(v => (v - mean) * (v - mean));
        mean.Should().BeApproximately(0, 5 / Math.Sqrt(1e5));
        variance.Should().BeApproximately(1, 5 * Math.Sqrt(2 / 1e5));

        float[] uniform = Tensor.Rand(10_000).ToArray();
        uniform.Should().OnlyContain(v => v >= 0f && v < 1f);
        uniform.Average().Should().BeApproximately(0.5f, 0.02f);
    }

    [Fact]
    public void Generator_GivesIndependentStreams()
    {
        var g1 = new Generator(1);
        var g2 = new Generator(1);
        Tensor.Randn([5], generator: g1).Equal(Tensor.Randn([5], generator: g2)).Should().BeTrue();
        Tensor.Randn([5], generator: g1).Equal(Tensor.Randn([5], generator: new Generator(2))).Should().BeFalse();
    }

    [Fact]
    public void Views_ShareStorage()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);
        var t = x.T;
        t.Shape.Should().Equal(3, 2);
        t[2, 1].Should().Be(5f);
        t.ToArray().Should().Equal(0f, 3f, 1f, 4f, 2f, 5f);
        x[1, 2] = 50f;
        t[2, 1].Should().Be(50f);
        x.Strides().Should().Equal(3, 1);
        t.Strides().Should().Equal(1, 3);

        var e = Tensor.From([1f, 2f]).Reshape(2, 1).Expand(2, 3);
        e.ToArray().Should().Equal(1f, 1f, 1f, 2f, 2f, 2f);
        Action write = () => e.Fill(0f);
        write.Should().Throw<InvalidOperationException>().WithMessage("unsupported operation: more than one element*");
    }

    [Fact]
    public void Reshape_InfersOneDimensionAndValidates()
    {
        Tensor.Arange(6).Reshape(-1, 2).Shape.Should().Equal(3, 2);
        Tensor.Scalar(1f).Reshape(1, 1).Shape.Should().Equal(1, 1);
        Tensor.Ones(1, 1).Reshape().Rank.Should().Be(0);
        ((Action)(() => Tensor.Arange(6).Reshape(4, -1))).Should().Throw<ArgumentException>().WithMessage("shape '[4, -1]' is invalid for input of size 6*");
        ((Action)(() => Tensor.Arange(6).Reshape(-1, -1))).Should().Throw<ArgumentException>().WithMessage("only one dimension can be inferred*");
    }

    [Fact]
    public void OpsOnTransposedViews_ReadThroughStrides()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);
        (x.T + 1).ToArray().Should().Equal(1f, 4f, 2f, 5f, 3f, 6f);
        (-x.T).ToArray().Should().Equal(-0f, -3f, -1f, -4f, -2f, -5f);
        x.T.Sum(0).ToArray().Should().Equal(3f, 12f);
        x.T.Contiguous().Strides().Should().Equal(2, 1);
    }

    [Fact]
    public void EqualAndAllClose_FollowPyTorch()
    {
        Tensor.From([1f, 2f]).Equal(Tensor.From([1f, 2f])).Should().BeTrue();
        Tensor.From([1f, 2f]).Equal(Tensor.From([1f, 2f]).Reshape(2, 1)).Should().BeFalse();
        Tensor.From([1f, 2f]).AllClose(Tensor.From([1f, 2.00001f])).Should().BeTrue();
        Tensor.From([1f, 2f]).AllClose(Tensor.From([1f, 2.001f])).Should().BeFalse();
        Tensor.From([1f, 1f]).AllClose(Tensor.Scalar(1f)).Should().BeTrue();
        Tensor.From([float.NaN]).AllClose(Tensor.From([float.NaN])).Should().BeFalse();
        Tensor.From([float.NaN]).AllClose(Tensor.From([float.NaN]), equalNan: true).Should().BeTrue();
    }

    [Fact]
    public void InPlaceOperators_MutateStorage()
    {
        var t = Tensor.From([1f, 2f, 3f, 4f], [2, 2]);
        var alias = t.Detach();
        t += 1f;
        t *= Tensor.From([1f, 10f]);
        t -= Tensor.Ones(2, 2);
        t /= 2f;
        alias.ToArray().Should().Equal(0.5f, 14.5f, 1.5f, 24.5f);
        alias.Clear();
        t.ToArray().Should().Equal(0f, 0f, 0f, 0f);

        var transposed = Tensor.From([1f, 2f, 3f, 4f], [2, 2]);
        transposed.T.Fill(5f);
        transposed.ToArray().Should().Equal(5f, 5f, 5f, 5f);
        transposed.T.CopyFrom(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));
        transposed.ToArray().Should().Equal(1f, 3f, 2f, 4f);
    }

    [Fact]
    public void Shape_PrintsAndCompares()
    {
        var shape = Tensor.Zeros(2, 3).Shape;
        shape.ToString().Should().Be("[2, 3]");
        shape.Rank.Should().Be(2);
        shape[-1].Should().Be(3);
        shape.ElementCount.Should().Be(6);
        (shape == Tensor.Ones(2, 3).Shape).Should().BeTrue();
        Tensor.Scalar(1f).Shape.ToString().Should().Be("[]");
        Tensor.Zeros(shape).Shape.Should().Equal(2, 3);
    }

    [Fact]
    public void ToString_MarksLeavesAndNodes()
    {
        Tensor.Arange(3).ToString().Should().Be("tensor([0., 1., 2.])");
        Tensor.Ones([2], requiresGrad: true).ToString().Should().Be("tensor([1., 1.], requires_grad=True)");
        (Tensor.Ones([2], requiresGrad: true) * 2).ToString().Should().Be("tensor([2., 2.], grad_fn=<MulBackward>)");
        Tensor.Zeros(0).ToString().Should().Be("tensor([])");
        Tensor.Arange(6).Reshape(2, 3).T.ToString().Should().Be("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])");
    }

    /// <summary>x[0] on a matrix binds to the element indexer in C#; its error says how to write PyTorch's row view.</summary>
    [Fact]
    public void ElementIndexer_WithFewerIndicesThanTheRank_SaysHowToSelectARow()
    {
        Tensor x = Tensor.Zeros(2, 3);
        FluentActions.Invoking(() => x[0]).Should().Throw<ArgumentException>()
            .WithMessage("Expected 2 indices for a tensor of shape [2, 3], got 1. For the view PyTorch's x[0] gives, write x[(TensorIndex)0] or x.Select(0, 0).*");
        x[(TensorIndex)0].Shape.ToArray().Should().Equal(3);
    }
}
