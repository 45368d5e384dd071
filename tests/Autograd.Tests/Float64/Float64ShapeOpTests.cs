using FluentAssertions;
using Xunit;
using static Autograd.Tests.Float64.Float64GradCheckTests;

namespace Autograd.Tests.Float64;

/// <summary>
/// The joining ops and views in float64: they move elements, so their values must be the input's bits exactly and
/// their gradients pass the float64 check; each result is multiplied by fixed weights so that a misplaced element
/// changes the Jacobian.
/// </summary>
public class Float64ShapeOpTests
{
    public static TheoryData<string> Ops => new()
    {
        "cat0", "cat1", "stack", "flip", "roll", "rollflat", "repeat", "repeatinterleave", "split", "chunk", "unbind",
        "narrow", "select", "slice", "unfold", "diagonal", "permute", "transpose", "reshape", "expand", "view", "squeeze",
    };

    private static Tensor Apply(string op, Tensor a, Tensor b) => op switch
    {
        "cat0" => Tensor.Cat(a, b),
        "cat1" => Tensor.Cat([a, b], 1),
        "stack" => Tensor.Stack([a, b], 1),
        "flip" => a.Flip(0, 1),
        "roll" => a.Roll([1, 2], [0, 1]),
        "rollflat" => a.Roll(4),
        "repeat" => a.Repeat(2, 1, 2),
        "repeatinterleave" => a.RepeatInterleave(2, 1),
        "split" => a.Split(2, 1)[1],
        "chunk" => a.Chunk(2, 0)[0],
        "unbind" => a.Unbind(1)[2],
        "narrow" => a.Narrow(1, 1, 2),
        "select" => a.Select(0, 1),
        "slice" => a.Slice(1, 0, 3, 2),
        "unfold" => a.Unfold(1, 2, 1),
        "diagonal" => a.Diagonal(),
        "permute" => a.Permute(1, 0),
        "transpose" => a.Transpose(0, 1),
        "reshape" => a.T.Reshape(6),
        "expand" => a.Reshape(2, 1, 3).Expand(2, 2, 3),
        "view" => a.View(3, 2),
        "squeeze" => a.Reshape(1, 2, 3).Squeeze(),
        _ => throw new ArgumentException(op),
    };

    /// <summary>Σ w ⊙ op(a, b) with distinct weights per element: a scalar whose gradient places each element.</summary>
    private static Tensor Weighted(string op, Tensor a, Tensor b)
    {
        Tensor y = Apply(op, a, b);
        Tensor w = Tensor.Arange(1, y.Count + 1, 1, DType.Float64).Reshape(y.Shape.ToArray());
        return (y * w).Sum();
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void ShapeOp_KeepsFloat64Bits_AndPassesGradCheck(string op)
    {
        Tensor a = Leaf([2, 3], -1, 1, 31), b = Leaf([2, 3], -1, 1, 32);

        Tensor y = Apply(op, a, b);

        y.DType.Should().Be(DType.Float64);

        // Every output value is one of the inputs' values, bit for bit (no trip through float32).
        var values = new HashSet<double>(a.ToArray<double>().Concat(b.ToArray<double>()));
        y.ToArray<double>().Should().OnlyContain(v => values.Contains(v));
        GradCheckResult result = GradCheck.Check(t => Weighted(op, t[0], t[1]), [a, b]);
        result.Passed.Should().BeTrue(result.Message);
        GradCheck.Check(t => Apply(op, t[0], t[1]), [a, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public void Cat_PromotesMixedInputs_AndReturnsEachGradientInItsInputsDType()
    {
        // torch.cat([float32, float64]) is float64; torch.cat([int64, float64]) too.
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var b = Tensor.From([0.1, 0.2], requiresGrad: true);
        Tensor joined = Tensor.Cat(a, b, Tensor.From([3L]));

        joined.DType.Should().Be(DType.Float64);
        joined.ToArray<double>().Should().Equal(1, 2, 0.1, 0.2, 3);
        Tensor.Stack([Tensor.From([1L]), Tensor.From([0.5f])]).DType.Should().Be(DType.Float32);

        (joined * Tensor.From([1.0, 2, 3, 4, 5])).Sum().Backward();
        a.Grad!.DType.Should().Be(DType.Float32);
        a.Grad!.ToArray().Should().Equal(1f, 2f);
        b.Grad!.DType.Should().Be(DType.Float64);
        b.Grad!.ToArray<double>().Should().Equal(3, 4);
    }

    [Fact]
    public void IntegerShapeOps_KeepTheirDType()
    {
        Tensor ints = Tensor.From([1L, 2L, 3L, 4L], [2, 2]);

        Tensor.Cat(ints, ints).ToArray<long>().Should().Equal(1, 2, 3, 4, 1, 2, 3, 4);
        ints.Flip(1).ToArray<long>().Should().Equal(2, 1, 4, 3);
        ints.Roll(1).ToArray<long>().Should().Equal(4, 1, 2, 3);
        ints.Repeat(1, 2).ToArray<long>().Should().Equal(1, 2, 1, 2, 3, 4, 3, 4);
        Tensor.From([true, false]).RepeatInterleave(2).ToArray<bool>().Should().Equal(true, true, false, false);
    }
}
