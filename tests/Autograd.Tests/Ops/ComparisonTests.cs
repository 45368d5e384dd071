using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class ComparisonTests
{
    private static bool[] Bools(Tensor t)
    {
        t.DType.Should().Be(DType.Bool);
        return t.ToArray<bool>();
    }

    [Fact]
    public void Comparisons_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f]);
        var b = Tensor.From([3f, 2f, 1f]);

        // 1 vs 3, 2 vs 2, 3 vs 1: less, equal, greater.
        Bools(a.Eq(b)).Should().Equal(false, true, false);
        Bools(a.Ne(b)).Should().Equal(true, false, true);
        Bools(a < b).Should().Equal(true, false, false);
        Bools(a <= b).Should().Equal(true, true, false);
        Bools(a > b).Should().Equal(false, false, true);
        Bools(a >= b).Should().Equal(false, true, true);
        Bools(Tensor.Lt(a, 2.0)).Should().Equal(true, false, false);
        Bools(2L < a).Should().Equal(false, false, true);
        Bools(2.5 >= a).Should().Equal(true, true, false);
    }

    [Fact]
    public void NaN_ComparesUnequal()
    {
        var a = Tensor.From([float.NaN, 1f]);
        var b = Tensor.From([float.NaN, float.NaN]);

        // IEEE: every ordered comparison with NaN is false, != is true.
        Bools(a.Eq(b)).Should().Equal(false, false);
        Bools(a.Ne(b)).Should().Equal(true, true);
        Bools(a <= b).Should().Equal(false, false);
        Bools(a >= b).Should().Equal(false, false);
        Bools(a.Eq(a)).Should().Equal(false, true);
    }

    [Fact]
    public void Promotion_ComparesInThePromotedType()
    {
        // 16777217 is not a float32: as int64 vs int64 it differs from 16777216, but against a float32 tensor both round to 2^24.
        Tensor ints = Tensor.From([16777216L, 16777217L]);
        Bools(ints.Eq(Tensor.From([16777217L, 16777217L]))).Should().Equal(false, true);
        Bools(ints.Eq(Tensor.From([16777216f, 16777216f]))).Should().Equal(true, true);

        // int vs a float scalar compares as float: 2 < 2.5.
        Bools(Tensor.From([2L, 3L]) < 2.5).Should().Equal(true, false);

        // A 0-d float64 operand does not widen a float32 tensor: 0.1 rounds to float32 on both sides and is equal.
        Bools(Tensor.From([0.1f]).Eq(Tensor.Scalar(0.1, DType.Float64))).Should().Equal(true);
        Bools(Tensor.From([0.1f]).Eq(Tensor.From([0.1]))).Should().Equal(false);

        // Bools compare as 0 and 1.
        Bools(Tensor.From([false, true]) < Tensor.From([true, true])).Should().Equal(true, false);
    }

    [Fact]
    public void Broadcasting_ZeroD_AndEmpty()
    {
        Tensor r = Tensor.From([1f, 2f], [2, 1]) < Tensor.From([0L, 1L, 2L]);
        r.Shape.Dims.Should().Equal(2, 3);
        Bools(r).Should().Equal(false, false, true, false, false, false);

        Tensor s = Tensor.Scalar(2f).Eq(2L);
        s.Rank.Should().Be(0);
        s.ToString().Should().Be("tensor(True)");

        Tensor e = Tensor.Zeros(0, 3) < Tensor.From([1f, 2f, 3f]);
        e.Shape.Dims.Should().Equal(0, 3);
        e.DType.Should().Be(DType.Bool);

        Action act = () => _ = Tensor.From([1f, 2f]) < Tensor.From([1f, 2f, 3f]);
        act.Should().Throw<ArgumentException>().WithMessage("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
    }

    [Fact]
    public void StridedOperands()
    {
        // x.T = [[1, 3], [2, 4]]: the comparison reads the view's elements, not the storage order.
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2]);
        Bools(x.T > 2.0).Should().Equal(false, true, false, true);
        Bools(x.T.Eq(x)).Should().Equal(true, false, false, true);
    }

    [Fact]
    public void Printing_MatchesPyTorch()
    {
        (Tensor.From([1f, 2f]) < 1.5).ToString().Should().Be("tensor([ True, False])");
        Tensor.From([1L, 2L]).Eq(Tensor.From([1L, 2L])).ToString().Should().Be("tensor([True, True])");
    }

    [Fact]
    public void NotDifferentiable_ResultNeverRequiresGrad()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor r = x > 1.0;
        r.RequiresGrad.Should().BeFalse();
        r.GradFn.Should().BeNull();
        x.Eq(x).RequiresGrad.Should().BeFalse();
        x.LogicalNot().RequiresGrad.Should().BeFalse();
        x.NonZero().RequiresGrad.Should().BeFalse();
        x.Any().RequiresGrad.Should().BeFalse();
        x.IsNan().RequiresGrad.Should().BeFalse();
    }

    [Fact]
    public void EqualityOperators_StayReferenceEquality()
    {
        // == is not overloaded: two tensors with the same values are different objects.
        var a = Tensor.From([1f]);
        var b = Tensor.From([1f]);
        (a == b).Should().BeFalse();
        Tensor alias = a;
        (a == alias).Should().BeTrue();
        a.Equal(b).Should().BeTrue();
    }
}
