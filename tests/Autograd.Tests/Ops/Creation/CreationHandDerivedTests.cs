using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Creation;

/// <summary>Creation results derived by hand.</summary>
public class CreationHandDerivedTests
{
    [Fact]
    public void Linspace_QuartersOfTheUnitInterval()
    {
        // step = (1 − 0)/(5 − 1) = 0.25, exact in binary: 0, 0.25, 0.5 from the start, 0.75 = 1 − 0.25 and 1 from the end.
        Tensor.Linspace(0, 1, 5).ToArray<float>().Should().Equal(0f, 0.25f, 0.5f, 0.75f, 1f);
        Tensor.Linspace(0, 1, 5).DType.Should().Be(DType.Float32, "torch.linspace gives the default dtype");
    }

    [Fact]
    public void Linspace_BothEndsAreExact_BecauseTheSecondHalfCountsFromTheEnd()
    {
        // start + 6·((0.3 − 0.1)/6) rounds away from 0.3 in float64, but element 6 is computed as end − 0·step = end.
        double[] v = Tensor.Linspace(0.1, 0.3, 7, DType.Float64).ToArray<double>();
        v[0].Should().Be(0.1);
        v[6].Should().Be(0.3);
        Tensor.Linspace(5, -5, 3, DType.Int64).ToArray<long>().Should().Equal(5, 0, -5);
    }

    [Fact]
    public void Logspace_PowersOfTheBase()
    {
        // exponents 0, 1, 2 → 10⁰, 10¹, 10²; base 2 with exponents 0 … 4 → 1, 2, 4, 8, 16 as int64.
        Tensor.Logspace(0, 2, 3).ToArray<float>().Should().Equal(1f, 10f, 100f);
        Tensor.Logspace(0, 4, 5, 2, DType.Int64).ToArray<long>().Should().Equal(1, 2, 4, 8, 16);
        // One step gives base^start: 10^0.5 = √10.
        Tensor.Logspace(0.5, 2, 1, dtype: DType.Float64).ToArray<double>().Should().Equal(Math.Pow(10, 0.5));
    }

    [Fact]
    public void OneHot_RowsHaveASingleOneAtTheClass()
    {
        // class 2 of 3 → [0, 0, 1]; class 0 → [1, 0, 0].
        Tensor h = Functional.OneHot(Tensor.From([2L, 0L]), 3);
        h.DType.Should().Be(DType.Int64);
        h.Shape.ToArray().Should().Equal(2, 3);
        h.ToArray<long>().Should().Equal(0, 0, 1, 1, 0, 0);
    }

    [Fact]
    public void FullLike_TruncatesForIntegerDtypes_AndEmptyLikeKeepsShapeAndDtype()
    {
        // torch.full_like(int64 tensor, 2.7) is 2: the value converts to the dtype toward zero.
        Tensor.FullLike(Tensor.Zeros([2], DType.Int64), 2.7).ToArray<long>().Should().Equal(2, 2);
        Tensor e = Tensor.EmptyLike(Tensor.Zeros([3, 1], DType.Int32));
        e.DType.Should().Be(DType.Int32);
        e.Shape.ToArray().Should().Equal(3, 1);
        Tensor.Empty([2, 2], DType.Float64).DType.Should().Be(DType.Float64);
    }

    [Fact]
    public void Meshgrid_RefusesARank2Input_WithPyTorchsMessagePrefix()
    {
        // PyTorch's message goes on to print the tensor; the prefix is what is compared.
        FluentActions.Invoking(() => Tensor.Meshgrid(Tensor.Zeros(2, 2), Tensor.Zeros(3))).Should().Throw<ArgumentException>()
            .WithMessage("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: *");
    }

    [Fact]
    public void TrilIndices_OfA3By3Matrix()
    {
        // On and below the diagonal, row by row: (0,0), (1,0), (1,1), (2,0), (2,1), (2,2).
        Tensor.TrilIndices(3, 3).ToArray<long>().Should().Equal(0, 1, 1, 2, 2, 2, 0, 0, 1, 0, 1, 2);
    }

    [Theory]
    [InlineData("ij")]
    [InlineData("xy")]
    public void Meshgrid_GradCheck(string indexing)
    {
        // Each output is an expanded view of its input, so the gradient sums the upstream over the other grid dimensions.
        var g = new Generator(31);
        Tensor[] inputs = [.. new[] { 2, 3, 4 }.Select(n => Tensor.Randn([n], DType.Float64, requiresGrad: true, generator: g))];
        int[] shape = indexing == "ij" ? [3, 2, 3, 4] : [3, 3, 2, 4];
        Tensor weights = Tensor.Randn(shape, DType.Float64, generator: new Generator(32));
        GradCheck.Assert(t => Tensor.Stack(Tensor.Meshgrid(t, indexing)) * weights, inputs);
    }
}
