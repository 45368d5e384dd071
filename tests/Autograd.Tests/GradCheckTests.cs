using System.Globalization;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>The finite-difference checker must be able to fail, and say where.</summary>
public class GradCheckTests
{
    [Fact]
    public void CorrectNode_Passes()
    {
        Tensor x = Tensor.Uniform([2, 3], -1f, 1f, requiresGrad: true, generator: new Generator(1));

        GradCheckResult result = GradCheck.Check(t => Square(t[0], wrongElement: -1), [x]);

        result.Passed.Should().BeTrue(result.Message);

        // 6 outputs × 6 input elements.
        result.EntriesChecked.Should().Be(36);
    }

    [Fact]
    public void WrongNode_IsReported_WithFirstMismatchingElement()
    {
        var x = Tensor.From([0.5f, -0.25f, 0.75f, 1f, -1.5f, 2f], [2, 3], requiresGrad: true);

        // The node's gradient is 3x instead of 2x at flat element 3 = index [1, 0], where x = 1.
        GradCheckResult result = GradCheck.Check(t => Square(t[0], wrongElement: 3), [x]);

        result.Passed.Should().BeFalse();
        result.Message.Should().StartWith("Jacobian mismatch for output 3 with respect to input 0 (shape [2, 3]) at element [1, 0]: numerical ")
            .And.Contain(", analytical 3,");

        // The numerical value is d(x²)/dx = 2x = 2 at x = 1, up to float32 rounding of the function values.
        Match numerical = Regex.Match(result.Message, "numerical ([-0-9.E]+),");
        double.Parse(numerical.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeApproximately(2.0, 1e-3);

        Action assert = () => GradCheck.Assert(t => Square(t[0], wrongElement: 3), [x]);
        assert.Should().Throw<InvalidOperationException>().WithMessage("*at element [1, 0]*");
    }

    [Fact]
    public void WrongGradientForSecondInput_NamesThatInput()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var b = Tensor.From([3f, 4f], requiresGrad: true);

        // ∂(a·b)/∂a = b is right; ∂/∂b is returned as b instead of a.
        Action assert = () => GradCheck.Assert(t => SwappedProduct(t[0], t[1]), [a, b]);

        assert.Should().Throw<InvalidOperationException>()
            .WithMessage("Jacobian mismatch for output 0 with respect to input 1 (shape [2]) at element [0]: numerical 1*, analytical 3*");
    }

    [Fact]
    public void SmallError_RespectsTolerance()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        // A gradient 0.5% too large: inside rtol = 1e-2, outside rtol = 1e-3.
        GradCheck.Check(t => Scaled(t[0], 1.005f), [x]).Passed.Should().BeTrue();
        GradCheck.Check(t => Scaled(t[0], 1.005f), [x], rtol: 1e-3).Passed.Should().BeFalse();
    }

    [Fact]
    public void MissingGradient_IsReported()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        // The function depends on x but records no graph: the analytical Jacobian is zero.
        GradCheckResult result = GradCheck.Check(t => t[0].Detach() * 2f, [x]);

        result.Passed.Should().BeFalse();
        result.Message.Should().Contain("at element [0]: numerical 2,").And.Contain("analytical 0,");
    }

    [Fact]
    public void NoInputRequiresGrad_Throws()
    {
        Action act = () => GradCheck.Check(t => t[0] * 2f, [Tensor.Ones(2)]);

        act.Should().Throw<ArgumentException>().WithMessage("gradcheck expects at least one input tensor to require gradient*");
    }

    [Fact]
    public void Inputs_AreNotModified()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        GradCheck.Assert(t => t[0] * t[0], [x]);

        x.ToArray().Should().Equal(1f, 2f);
        x.Grad.Should().BeNull();
    }

    /// <summary>x², with a custom node whose gradient is wrong (3x instead of 2x) at one element.</summary>
    private static Tensor Square(Tensor x, int wrongElement)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = x * x;
        }

        return GradMode.IsEnabled && x.RequiresGrad ? output.WithGradFn(new WrongSquareBackward(x, wrongElement)) : output;
    }

    private static Tensor SwappedProduct(Tensor a, Tensor b)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = a * b;
        }

        return GradMode.IsEnabled ? output.WithGradFn(new SwappedMulBackward(a, b)) : output;
    }

    private static Tensor Scaled(Tensor x, float error)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = x * 3f;
        }

        return GradMode.IsEnabled ? output.WithGradFn(new ScaledBackward(x, 3f * error)) : output;
    }

    private sealed class WrongSquareBackward(Tensor x, int wrongElement) : Node(x)
    {
        protected internal override Tensor?[] Apply(Tensor grad)
        {
            float[] factor = [.. Enumerable.Repeat(2f, x.Count)];
            if (wrongElement >= 0)
            {
                factor[wrongElement] = 3f;
            }

            return [grad * x * Tensor.From(factor, x.Shape)];
        }
    }

    private sealed class SwappedMulBackward(Tensor a, Tensor b) : Node(a, b)
    {
        protected internal override Tensor?[] Apply(Tensor grad) => [grad * b, grad * b];
    }

    private sealed class ScaledBackward(Tensor x, float factor) : Node(x)
    {
        protected internal override Tensor?[] Apply(Tensor grad) => [grad * factor];
    }
}

/// <summary>GradGradCheck: second derivatives by finite differences of the first.</summary>
public class GradGradCheckTests
{
    public static TheoryData<string> Ops => new() { "exp", "sin", "tanh", "sigmoid", "mul", "div", "pow", "matmul", "logsoftmax", "log" };

    [Theory]
    [MemberData(nameof(Ops))]
    public void SecondDerivatives_MatchFiniteDifferences_InFloat64(string op)
    {
        var a = Tensor.Uniform([2, 3], 0.5, 1.5, DType.Float64, requiresGrad: true, generator: new Generator(3));
        var b = Tensor.Uniform([2, 3], 0.5, 1.5, DType.Float64, requiresGrad: true, generator: new Generator(4));
        var m = Tensor.Uniform([3, 2], -1, 1, DType.Float64, requiresGrad: true, generator: new Generator(5));
        Func<Tensor[], Tensor> f = op switch
        {
            "exp" => t => t[0].Exp(),
            "sin" => t => t[0].Sin(),
            "tanh" => t => t[0].Tanh(),
            "sigmoid" => t => t[0].Sigmoid(),
            "log" => t => t[0].Log(),
            "mul" => t => t[0] * t[1],
            "div" => t => t[0] / t[1],
            "pow" => t => t[0].Pow(2.5),
            "matmul" => t => Tensor.MatMul(t[0], t[2]),
            _ => t => Autograd.NN.Functional.LogSoftmax(t[0]),
        };
        GradCheckResult result = GradCheck.GradGradCheck(f, [a, b, m]);
        result.Passed.Should().BeTrue(result.Message);
    }

    [Fact]
    public void AWrongSecondDerivative_IsCaught()
    {
        // sin with a backward that is right to first order (cos x) but recorded as a constant: its second derivative
        // is 0 instead of −sin x, which GradGradCheck must report.
        var x = Tensor.Uniform([3], 0.5, 1.5, DType.Float64, requiresGrad: true, generator: new Generator(6));
        GradCheckResult result = GradCheck.GradGradCheck(t => t[0].Sin() - t[0].Sin() + (t[0] * Tensor.Cos(t[0].Detach())) - (t[0].Detach() * Tensor.Cos(t[0].Detach())) + t[0].Detach().Sin(), [x]);
        result.Passed.Should().BeFalse();
        result.Message.Should().StartWith("Jacobian mismatch");
    }
}
