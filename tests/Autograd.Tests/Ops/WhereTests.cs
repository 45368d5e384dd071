using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class WhereTests
{
    private static readonly Tensor s_condition = Tensor.From([true, false, true, false, false, true], [2, 3]);

    [Fact]
    public void Where_HandDerived_WithBroadcastGradients()
    {
        var c = Tensor.From([true, false, true]);
        var a = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);
        var b = Tensor.Scalar(-1f, requiresGrad: true);

        Tensor y = Tensor.Where(c, a, b);
        y.ShouldBe([2, 3], [1f, -1f, 3f, 4f, -1f, 6f]);
        y.GradFn!.ToString().Should().Be("<WhereBackward>");

        // ∂L/∂a = g where c, 0 elsewhere; ∂L/∂b = Σ g where ¬c = 2 + 5 = 7.
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        a.Grad.ShouldBe([2, 3], [1f, 0f, 3f, 4f, 0f, 6f]);
        b.Grad.ShouldBeScalar(7f);
    }

    [Fact]
    public void Where_PromotesAndChecksTheCondition()
    {
        Tensor r = Tensor.Where(Tensor.From([true, false]), Tensor.From([1f, 2f]), Tensor.From([3L, 4L]));
        r.DType.Should().Be(DType.Float32);
        r.ToArray<float>().Should().Equal(1f, 4f);
        Tensor.Where(Tensor.From([true, false]), Tensor.From([1L, 2L]), 2.5).ToString().Should().Be("tensor([1.0000, 2.5000])");
        Tensor.Where(Tensor.From([true, false]), 2L, 1L).ToString().Should().Be("tensor([2, 1])");

        Action act = () => Tensor.Where(Tensor.From([1f, 0f]), Tensor.From([1f, 2f]), Tensor.From([3f, 4f]));
        act.Should().Throw<ArgumentException>().WithMessage("where expected condition to be a boolean tensor, but got a tensor with dtype Float*");
    }

    [Fact]
    public void Where_GradCheck() =>
        GradCheck.Assert(
            t => Tensor.Where(s_condition, t[0] * t[0], t[1].Exp()),
            [OpTest.Uniform([2, 3], -1f, 1f, 901), OpTest.Uniform([3], -1f, 1f, 902)]);

    [Fact]
    public void Where_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => Tensor.Where(s_condition, t[0] * t[0] * t[0], t[0].Sin()), wrt: 0),
            [OpTest.Uniform([2, 3], -1f, 1f, 903)]);

    [Fact]
    public void MaskedFill_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        var m = Tensor.From([false, true]);

        Tensor y = x.MaskedFill(m, -9);
        y.ShouldBe([2, 2], [1f, -9f, 3f, -9f]);
        y.GradFn!.ToString().Should().Be("<MaskedFillBackward>");

        // The filled positions no longer depend on x: ∂L/∂x = g ⊙ ¬m.
        y.Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));
        x.Grad.ShouldBe([2, 2], [1f, 0f, 3f, 0f]);

        // The value converts to the tensor's dtype (2.5 → 2 for int64).
        Tensor.From([1L, 2L, 3L]).MaskedFill(Tensor.From([true, false, true]), 2.5).ToArray<long>().Should().Equal(2L, 2L, 2L);
    }

    [Fact]
    public void MaskedFill_WithValueTensor_GradientToTheValue()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var v = Tensor.Scalar(2f, requiresGrad: true);
        Tensor y = x.MaskedFill(Tensor.From([true, false, true]), v);
        y.ShouldBe([3], [2f, 2f, 2f]);

        // PyTorch: x.grad = [0, 1, 0], v.grad = 2 (two masked positions, upstream ones).
        y.Sum().Backward();
        x.Grad.ShouldBe([3], [0f, 1f, 0f]);
        v.Grad.ShouldBeScalar(2f);
    }

    [Fact]
    public void MaskedFill_Errors()
    {
        var x = Tensor.From([1f, 2f, 3f]);
        ((Action)(() => x.MaskedFill(Tensor.From([true, false, true]), Tensor.From([9f]))))
            .Should().Throw<ArgumentException>().WithMessage("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).*");
        ((Action)(() => x.MaskedFill(Tensor.From([1L, 0L, 1L]), 9)))
            .Should().Throw<ArgumentException>().WithMessage("masked_fill_ only supports boolean masks, but got mask with dtype Long*");
        ((Action)(() => x.MaskedFill(Tensor.From([true, false]), 9)))
            .Should().Throw<ArgumentException>().WithMessage("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
    }

    [Fact]
    public void MaskedFill_GradCheck() =>
        GradCheck.Assert(
            t => t[0].MaskedFill(Tensor.From([true, false, false]), t[1]) * t[0],
            [OpTest.Uniform([2, 3], -1f, 1f, 904), OpTest.Uniform([], -1f, 1f, 905)]);

    [Fact]
    public void MaskedSelect_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var m = Tensor.From([true, false, true, false, false, true], [2, 3]);

        // x broadcasts to [[1, 2, 3], [1, 2, 3]]; the true positions (0,0), (0,2), (1,2) give [1, 3, 3].
        Tensor y = x.MaskedSelect(m);
        y.ShouldBe([3], [1f, 3f, 3f]);
        y.GradFn!.ToString().Should().Be("<MaskedSelectBackward>");

        // Backward scatters [10, 20, 30] into zeros of [2, 3], then sums over the broadcast row: [10, 0, 20 + 30].
        y.Backward(Tensor.From([10f, 20f, 30f]));
        x.Grad.ShouldBe([3], [10f, 0f, 50f]);

        ((Action)(() => x.MaskedSelect(Tensor.From([1L, 0L, 1L]))))
            .Should().Throw<ArgumentException>().WithMessage("masked_select: expected BoolTensor or ByteTensor for mask*");
    }

    [Fact]
    public void MaskedSelect_GradCheck() =>
        GradCheck.Assert(
            t => t[0].MaskedSelect(Tensor.From([true, false, true, true, false, true], [2, 3])) * t[1],
            [OpTest.Uniform([2, 3], -1f, 1f, 906), OpTest.Uniform([4], -1f, 1f, 907)]);

    [Fact]
    public void MaskedSelect_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => t[0].MaskedSelect(Tensor.From([true, false, true])) * t[0].MaskedSelect(Tensor.From([true, false, true])), wrt: 0),
            [OpTest.Uniform([2, 3], -1f, 1f, 908)]);
}
