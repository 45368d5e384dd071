using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Reductions;

/// <summary>Hand-derived values, the (values, indices) pair, and the fast paths of the reduction kernel against a naive loop.</summary>
public class ReductionTests
{
    [Fact]
    public void Prod_OneZero_GradientIsProductOfOthers()
    {
        var x = Tensor.From([2f, 0f, 3f, 4f], requiresGrad: true);

        x.Prod().Backward();

        // Π = 0. ∂Π/∂x₁ = 2·3·4 = 24 (the product of the others); every other ∂Π/∂xᵢ holds the factor x₁ = 0.
        x.Grad.ShouldBe([4], [0f, 24f, 0f, 0f]);
    }

    [Fact]
    public void Prod_TwoZeros_GradientIsZero()
    {
        var x = Tensor.From([2f, 0f, 3f, 0f], requiresGrad: true);

        x.Prod().Backward();

        // Every ∂Π/∂xᵢ = Π_{j≠i} xⱼ still holds one of the two zeros.
        x.Grad.ShouldBe([4], [0f, 0f, 0f, 0f]);
    }

    [Fact]
    public void Max_Dim_ReturnsValuesAndFirstIndex_GradientToThatIndex()
    {
        var x = Tensor.From([1f, 3f, 3f, 0f, 2f, 2f, 1f, 2f], [2, 4], requiresGrad: true);

        var (values, indices) = x.Max(1);

        // Row 0: 3 at columns 1 and 2 → the first, 1. Row 1: 2 at 0, 1, 3 → 0 (PyTorch 1.13 on CPU).
        values.ShouldBe([2], [3f, 2f]);
        indices.DType.Should().Be(DType.Int64);
        indices.ToArray<long>().Should().Equal(1, 0);
        values.Backward(Tensor.From([10f, 20f]));
        x.Grad.ShouldBe([2, 4], [0f, 10f, 0f, 0f, 20f, 0f, 0f, 0f]);
    }

    [Fact]
    public void Amax_Ties_ShareGradientEvenly()
    {
        var x = Tensor.From([3f, 1f, 3f, 3f, 2f, 0f], [2, 3], requiresGrad: true);

        Tensor amax = x.Amax(1);
        amax.GradFn!.ToString().Should().Be("<AmaxBackward>");
        amax.Backward(Tensor.From([6f, 4f]));

        // Row 0 has its maximum 3 twice: 6/2 each. Row 1's maximum 3 is alone: all 4 to it.
        x.Grad.ShouldBe([2, 3], [3f, 0f, 3f, 4f, 0f, 0f]);
    }

    [Fact]
    public void Norm2_ZeroVector_GradientIsZeroNotNaN()
    {
        var x = Tensor.From([0.0, 0.0, 0.0, 3.0, 4.0, 0.0], [2, 3], requiresGrad: true);

        Tensor norm = x.Norm(2.0, [1]);

        // Row 1: √(9 + 16) = 5, ∂/∂x = x / 5. Row 0 is the zero vector: PyTorch's subgradient 0.
        norm.ToArray<double>().Should().Equal(0.0, 5.0);
        norm.Sum().Backward();
        x.Grad!.ToArray<double>().Should().Equal(0.0, 0.0, 0.0, 0.6, 0.8, 0.0);
    }

    [Fact]
    public void LogSumExp_Large_IsStable()
    {
        // log(e^1000 + e^1000) = 1000 + log 2; a naive exp overflows to ∞.
        Tensor.From([1000.0, 1000.0]).LogSumExp(0).Item<double>().Should().BeApproximately(1000 + Math.Log(2), 1e-12);
        Tensor.From([-1000f, -1000f]).LogSumExp(0).Item().Should().BeApproximately(-1000f + MathF.Log(2), 1e-3f);
        Tensor.From([double.NegativeInfinity, double.NegativeInfinity]).LogSumExp(0).Item<double>().Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Var_HandDerived()
    {
        var x = Tensor.From([1.0, 2.0, 3.0, 6.0], requiresGrad: true);

        Tensor v = x.Var();

        // mean 3, Σ(x − 3)² = 4 + 1 + 0 + 9 = 14, /(n − 1) = 14/3; ∂/∂x = 2(x − 3)/3.
        v.Item<double>().Should().BeApproximately(14.0 / 3, 1e-12);
        v.Backward();
        x.Grad!.ToArray<double>().Should().Equal([-4.0 / 3, -2.0 / 3, 0.0, 2.0], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void CumProd_WithZero_ExactGradient()
    {
        var x = Tensor.From([2.0, 0.0, 3.0, 4.0], requiresGrad: true);

        // out = [2, 0, 0, 0]; L = Σ out: ∂L/∂x₀ = 1 (only out₀ survives, out₀/x₀ = 1);
        // ∂L/∂x₁ = 2·(1 + 3 + 3·4) = 32; ∂L/∂x₂ = ∂L/∂x₃ = 0 (their products hold x₁ = 0).
        x.CumProd(0).Sum().Backward();
        x.Grad!.ToArray<double>().Should().Equal(1.0, 32.0, 0.0, 0.0);
    }

    [Fact]
    public void SumAndIntegerDtypes()
    {
        Tensor.From([1L, 2L, 3L], [3]).Sum([0]).DType.Should().Be(DType.Int64);
        Tensor.From([1, 2, 3], [3]).CumSum(0).ToArray<long>().Should().Equal(1L, 3L, 6L);
        FluentActions.Invoking(() => Tensor.From([1L, 2L], [2]).Mean([0])).Should().Throw<InvalidOperationException>()
            .WithMessage("mean(): could not infer output dtype.*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Kernel_MatchesNaiveLoop_OverEachDimOfALargeTensor(int dim)
    {
        // Outer, middle and inner reductions of a 37×41×43 tensor take the row-combining, the block and the row-reducing
        // paths; each must equal a straightforward loop (float64: sums differ only by rounding order).
        Tensor x = Tensor.Uniform([37, 41, 43], -1f, 1f, generator: new Generator(7)).Double();
        double[] data = x.ToArray<double>();
        int[] shape = [37, 41, 43];
        Tensor sum = x.Sum([dim]);
        Tensor max = x.Amax([dim]);
        Tensor arg = x.ArgMax(dim);
        double[] sums = sum.ToArray<double>(), maxes = max.ToArray<double>();
        long[] args = arg.ToArray<long>();
        int outer = shape[..dim].Aggregate(1, (p, s) => p * s), size = shape[dim], inner = shape[(dim + 1)..].Aggregate(1, (p, s) => p * s);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double s = 0, m = double.NegativeInfinity;
                long at = 0;
                for (int k = 0; k < size; k++)
                {
                    double v = data[(((o * size) + k) * inner) + i];
                    s += v;
                    if (v > m)
                    {
                        (m, at) = (v, k);
                    }
                }

                sums[(o * inner) + i].Should().BeApproximately(s, 1e-12);
                maxes[(o * inner) + i].Should().Be(m);
                args[(o * inner) + i].Should().Be(at);
            }
        }
    }

    [Fact]
    public void Kernel_NonAdjacentDims_OfATransposedView()
    {
        // Reducing dims 0 and 2 of a non-contiguous view permutes the kept dim first; compare with two single-dim sums.
        Tensor x = Tensor.Uniform([5, 6, 7], -1f, 1f, generator: new Generator(3)).Double().Transpose(0, 2);
        double[] both = x.Sum([0, 2]).ToArray<double>();
        double[] twice = x.Sum(2).Sum(0).ToArray<double>();
        both.Should().Equal(twice, (a, b) => Math.Abs(a - b) < 1e-12);
    }
}
