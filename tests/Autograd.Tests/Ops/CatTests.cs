using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class CatTests
{
    [Fact]
    public void Dim0_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        var b = Tensor.From([5f, 6f], [1, 2], requiresGrad: true);

        Tensor y = Tensor.Cat([a, b]);
        y.ShouldBe([3, 2], [1f, 2f, 3f, 4f, 5f, 6f]);
        y.GradFn!.ToString().Should().Be("<CatBackward>");

        // y = [a; b]: rows 0-1 of g belong to a, row 2 to b.
        y.Backward(Tensor.From([10f, 20f, 30f, 40f, 50f, 60f], [3, 2]));
        a.Grad.ShouldBe([2, 2], [10f, 20f, 30f, 40f]);
        b.Grad.ShouldBe([1, 2], [50f, 60f]);
    }

    [Fact]
    public void NegativeDim_JoinsColumns_HandDerived()
    {
        var a = Tensor.From([1f, 2f], [2, 1], requiresGrad: true);
        var b = Tensor.From([3f, 4f, 5f, 6f], [2, 2], requiresGrad: true);

        Tensor y = Tensor.Cat([a, b], -1);
        y.ShouldBe([2, 3], [1f, 3f, 4f, 2f, 5f, 6f]);

        // y[i] = [a[i, 0], b[i, 0], b[i, 1]]; L = Σ w ⊙ y with w = [[1, 2, 3], [4, 5, 6]]:
        // ∂L/∂a = column 0 of w = [1, 4]; ∂L/∂b = columns 1-2 = [[2, 3], [5, 6]].
        (y * Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3])).Sum().Backward();
        a.Grad.ShouldBe([2, 1], [1f, 4f]);
        b.Grad.ShouldBe([2, 2], [2f, 3f, 5f, 6f]);
    }

    [Fact]
    public void SameTensorTwice_GradientsAdd()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        Tensor y = Tensor.Cat(x, x, x);
        y.ShouldBe([6], [1f, 2f, 1f, 2f, 1f, 2f]);

        // x appears three times: ∂L/∂x = g[0:2] + g[2:4] + g[4:6] = [1+3+5, 2+4+6].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f]));
        x.Grad.ShouldBe([2], [9f, 12f]);
    }

    [Fact]
    public void OnlySomeInputsRequireGrad()
    {
        var a = Tensor.From([1f, 2f]);
        var b = Tensor.From([3f], requiresGrad: true);

        Tensor.Cat(a, b).Backward(Tensor.From([7f, 8f, 9f]));

        a.Grad.Should().BeNull();
        b.Grad.ShouldBe([1], [9f]);
    }

    [Fact]
    public void NoInputRequiresGrad_RecordsNothing() =>
        Tensor.Cat(Tensor.Ones(2), Tensor.Ones(1)).GradFn.Should().BeNull();

    [Fact]
    public void OneTensor_IsACopy()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        Tensor y = Tensor.Cat([x]);
        y.ShouldBe([3], [1f, 2f, 3f]);
        using (GradMode.NoGrad())
        {
            x[0] = 9f;
        }

        y[0].Should().Be(1f, "cat copies");
        y.Backward(Tensor.From([4f, 5f, 6f]));
        x.Grad.ShouldBe([3], [4f, 5f, 6f]);
    }

    [Fact]
    public void LegacyEmptyOneDimensional_IsSkipped()
    {
        var empty = Tensor.Zeros([0], requiresGrad: true);
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        // [0] joins a [2, 2] tensor even along dim 1 (which it does not have): PyTorch's legacy rule.
        Tensor y = Tensor.Cat([empty, x, empty], 1);
        y.ShouldBe([2, 2], [1f, 2f, 3f, 4f]);
        y.Backward(Tensor.From([5f, 6f, 7f, 8f], [2, 2]));
        x.Grad.ShouldBe([2, 2], [5f, 6f, 7f, 8f]);
        empty.Grad.ShouldBe([0], []);
    }

    [Fact]
    public void OnlyLegacyEmpty_GivesEmpty() =>
        Tensor.Cat([Tensor.Zeros(0), Tensor.Zeros(0)], 3).ShouldBe([0], []);

    [Fact]
    public void SizeZeroParts_HandDerived()
    {
        var a = Tensor.Zeros([2, 0], requiresGrad: true);
        var b = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        Tensor y = Tensor.Cat([a, b, a], 1);
        y.ShouldBe([2, 2], [1f, 2f, 3f, 4f]);
        y.Backward(Tensor.From([5f, 6f, 7f, 8f], [2, 2]));
        a.Grad.ShouldBe([2, 0], []);
        b.Grad.ShouldBe([2, 2], [5f, 6f, 7f, 8f]);
    }

    [Fact]
    public void NonContiguousInputs_HandDerived()
    {
        // a.T = [[1, 3], [2, 4]] (a strided view); b is a row broadcast to two rows (stride 0).
        var a = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        var b = Tensor.From([5f], [1, 1], requiresGrad: true);

        Tensor y = Tensor.Cat([a.T, b.Expand(2, 1)], 1);
        y.ShouldBe([2, 3], [1f, 3f, 5f, 2f, 4f, 5f]);

        // ∂L/∂a = (g[:, 0:2])ᵀ; ∂L/∂b = Σ g[:, 2].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        a.Grad.ShouldBe([2, 2], [1f, 4f, 2f, 5f]);
        b.Grad.ShouldBe([1, 1], [9f]);
    }

    [Fact]
    public void LargeOddSizes_MatchSlices()
    {
        var a = OpTest.Uniform([3, 37, 5], -1f, 1f, 301);
        var b = OpTest.Uniform([3, 129, 5], -1f, 1f, 302);

        Tensor y = Tensor.Cat([a, b], 1);
        y.Shape.ToArray().Should().Equal(3, 166, 5);
        float[] ya = y.ToArray(), av = a.ToArray(), bv = b.ToArray();
        for (int i = 0; i < 3; i++)
        {
            ya.AsSpan(i * 166 * 5, 37 * 5).ToArray().Should().Equal(av.AsSpan(i * 37 * 5, 37 * 5).ToArray());
            ya.AsSpan((i * 166 * 5) + (37 * 5), 129 * 5).ToArray().Should().Equal(bv.AsSpan(i * 129 * 5, 129 * 5).ToArray());
        }

        Tensor g = OpTest.Uniform([3, 166, 5], -1f, 1f, 303, requiresGrad: false);
        y.Backward(g);
        float[] gv = g.ToArray(), ga = a.Grad!.ToArray();
        for (int i = 0; i < 3; i++)
        {
            ga.AsSpan(i * 37 * 5, 37 * 5).ToArray().Should().Equal(gv.AsSpan(i * 166 * 5, 37 * 5).ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void GradCheck_ThreeInputs(int dim)
    {
        int[] b = dim == 0 ? [1, 3] : [2, 1];
        GradCheck.Assert(
            t => Tensor.Cat([t[0], t[1], t[2].Sin()], dim) * t[3],
            [OpTest.Uniform([2, 3], -1f, 1f, 311), OpTest.Uniform(b, -1f, 1f, 312), OpTest.Uniform([2, 3], -1f, 1f, 313),
             OpTest.Uniform(dim == 0 ? [5, 3] : [2, 7], -1f, 1f, 314)]);
    }

    [Fact]
    public void GradCheck_TransposedInput() =>
        GradCheck.Assert(t => Tensor.Cat([t[0].T, t[1]], 0).Exp(), [OpTest.Uniform([3, 2], -1f, 1f, 315), OpTest.Uniform([1, 3], -1f, 1f, 316)]);

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => Tensor.Cat([t[0], t[0] * t[1]], 0).Pow(2f), wrt: 0),
            [OpTest.Uniform([3], -1f, 1f, 317), OpTest.Uniform([3], -1f, 1f, 318)]);

    [Fact]
    public void EmptyList_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Cat(Array.Empty<Tensor>());
        act.Should().Throw<ArgumentException>().WithMessage("torch.cat(): expected a non-empty list of Tensors*");
    }

    [Fact]
    public void NullEntry_ThrowsNamingIt()
    {
        Action act = () => Tensor.Cat([Tensor.Zeros(2), null!], 0);
        act.Should().Throw<ArgumentNullException>().WithMessage("tensor number 1 in the list is null*");
    }

    [Fact]
    public void MismatchedSizes_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Cat([Tensor.Zeros(2, 2), Tensor.Zeros(3, 3)], 1);
        act.Should().Throw<ArgumentException>().WithMessage(
            "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.*");
    }

    [Fact]
    public void MismatchedRanks_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Cat([Tensor.Zeros(2, 2), Tensor.Zeros(2, 2, 2)], 1);
        act.Should().Throw<ArgumentException>().WithMessage("Tensors must have same number of dimensions: got 2 and 3*");
    }

    [Fact]
    public void ZeroDimensional_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Cat(Tensor.Scalar(1f), Tensor.Zeros(2));
        act.Should().Throw<ArgumentException>().WithMessage("zero-dimensional tensor (at position 0) cannot be concatenated*");
    }

    [Fact]
    public void DimOutOfRange_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Cat([Tensor.Zeros(2, 2)], 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
