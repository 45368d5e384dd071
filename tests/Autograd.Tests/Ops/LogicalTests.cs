using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class LogicalTests
{
    [Fact]
    public void Logical_AnyDTypes_NonzeroIsTrue()
    {
        // [1, 0, NaN, -2] is [T, F, T, T] (NaN is nonzero); [0, 0, 5, 1] (int64) is [F, F, T, T].
        var a = Tensor.From([1f, 0f, float.NaN, -2f]);
        var b = Tensor.From([0L, 0L, 5L, 1L]);
        a.LogicalAnd(b).ToArray<bool>().Should().Equal(false, false, true, true);
        a.LogicalOr(b).ToArray<bool>().Should().Equal(true, false, true, true);
        a.LogicalXor(b).ToArray<bool>().Should().Equal(true, false, false, false);
        a.LogicalNot().ToArray<bool>().Should().Equal(false, true, false, false);
        a.LogicalNot().ToString().Should().Be("tensor([False,  True, False, False])");
    }

    [Fact]
    public void Operators_OnBools()
    {
        var p = Tensor.From([true, true, false, false]);
        var q = Tensor.From([true, false, true, false]);
        (p & q).ToArray<bool>().Should().Equal(true, false, false, false);
        (p | q).ToArray<bool>().Should().Equal(true, true, true, false);
        (p ^ q).ToArray<bool>().Should().Equal(false, true, true, false);
        (~p).ToArray<bool>().Should().Equal(false, false, true, true);
        (p & true).DType.Should().Be(DType.Bool);
    }

    [Fact]
    public void Operators_OnIntegers_AreBitwise()
    {
        // 12 = 1100, 10 = 1010: and 1000 = 8, or 1110 = 14, xor 0110 = 6; ~v = −v − 1.
        var a = Tensor.From([12, -7]);
        var b = Tensor.From([10, 3]);
        (a & b).ToArray<int>().Should().Equal(8, -7 & 3);
        (a | b).ToArray<int>().Should().Equal(14, -7 | 3);
        (a ^ b).ToArray<int>().Should().Equal(6, -7 ^ 3);
        (~a).ToArray<int>().Should().Equal(-13, 6);
        (a & b).DType.Should().Be(DType.Int32);

        // int32 with int64 is int64; a bool with an integer counts as 0 or 1.
        (a & Tensor.From([15L, 15L])).DType.Should().Be(DType.Int64);
        (Tensor.From([true, false]) | Tensor.From([2L, 2L])).ToArray<long>().Should().Equal(3L, 2L);
        (Tensor.From([5L, 6L]) & 1L).ToArray<long>().Should().Equal(1L, 0L);
    }

    [Fact]
    public void Operators_RefuseFloats_WithPyTorchsMessage()
    {
        var f = Tensor.From([1f, 2f]);
        var i = Tensor.From([1L, 2L]);
        ((Action)(() => _ = f & f)).Should().Throw<NotSupportedException>().WithMessage("\"bitwise_and_cpu\" not implemented for 'Float'");
        ((Action)(() => _ = i | f)).Should().Throw<NotSupportedException>().WithMessage("\"bitwise_or_cpu\" not implemented for 'Float'");
        ((Action)(() => _ = i ^ f.Double())).Should().Throw<NotSupportedException>().WithMessage("\"bitwise_xor_cpu\" not implemented for 'Double'");
        ((Action)(() => _ = ~f)).Should().Throw<NotSupportedException>().WithMessage("\"bitwise_not_cpu\" not implemented for 'Float'");
    }

    [Fact]
    public void AnyAll_HandDerived()
    {
        // [[0, 1, 0], [0, 0, 0]]: any over rows (dim 1) is [T, F], all over columns (dim 0) is [F, F, F].
        var x = Tensor.From([0f, 1f, 0f, 0f, 0f, 0f], [2, 3]);
        x.Any().ToString().Should().Be("tensor(True)");
        x.All().ToString().Should().Be("tensor(False)");
        x.Any(1).ToArray<bool>().Should().Equal(true, false);
        x.Any(-1, keepDim: true).Shape.Dims.Should().Equal(2, 1);
        x.All(0).ToArray<bool>().Should().Equal(false, false, false);
        Tensor.From([3L, -1L]).All().ToArray<bool>().Should().Equal(true);

        // Empty: any is false and all is true (the identities of ∨ and ∧).
        Tensor.Zeros(0, 3).Any().ToArray<bool>().Should().Equal(false);
        Tensor.Zeros(0, 3).All(0).ToArray<bool>().Should().Equal(true, true, true);

        ((Action)(() => x.Any(2))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }

    [Fact]
    public void IsNanIsInfIsFinite()
    {
        var x = Tensor.From([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -1.5f]);
        x.IsNan().ToArray<bool>().Should().Equal(true, false, false, false, false);
        x.IsInf().ToArray<bool>().Should().Equal(false, true, true, false, false);
        x.IsFinite().ToArray<bool>().Should().Equal(false, false, false, true, true);
        x.Half().IsNan().ToArray<bool>().Should().Equal(true, false, false, false, false);
        x.BFloat16().IsInf().ToArray<bool>().Should().Equal(false, true, true, false, false);

        var ints = Tensor.From([long.MaxValue, 0L]);
        ints.IsNan().ToArray<bool>().Should().Equal(false, false);
        ints.IsFinite().ToArray<bool>().Should().Equal(true, true);
    }

    [Fact]
    public void NonZero_RowMajorIndices()
    {
        // [[1, 0], [0, 2]] has nonzeros at (0, 0) and (1, 1).
        Tensor n = Tensor.From([1L, 0L, 0L, 2L], [2, 2]).NonZero();
        n.DType.Should().Be(DType.Int64);
        n.Shape.Dims.Should().Equal(2, 2);
        n.ToArray<long>().Should().Equal(0L, 0L, 1L, 1L);
        n.ToString().Should().Be("tensor([[0, 0],\n        [1, 1]])");

        // A 0-d tensor has one empty index row when nonzero; an empty tensor has none.
        Tensor.Scalar(5f).NonZero().Shape.Dims.Should().Equal(1, 0);
        Tensor.Scalar(0f).NonZero().Shape.Dims.Should().Equal(0, 0);
        Tensor.Zeros(0, 3).NonZero().Shape.Dims.Should().Equal(0, 2);

        // Of a transposed view: x.T = [[1, 0], [2, 0]] → (0, 0), (1, 0).
        Tensor.From([1f, 2f, 0f, 0f], [2, 2]).T.NonZero().ToArray<long>().Should().Equal(0L, 0L, 1L, 0L);
    }

    [Fact]
    public void CountNonzero()
    {
        var x = Tensor.From([1L, 0L, 3L, 2L], [2, 2]);
        x.CountNonzero().ToArray<long>().Should().Equal(3L);
        x.CountNonzero(1).ToArray<long>().Should().Equal(1L, 2L);
        x.CountNonzero(0).ToArray<long>().Should().Equal(2L, 1L);
    }
}
