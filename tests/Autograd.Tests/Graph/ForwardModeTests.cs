using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary>Forward mode (dual tensors) against reverse mode: J·t from UnpackDual equals the reverse Jacobian times t.</summary>
public class ForwardModeTests
{
    public static TheoryData<string> Programs => new() { "elementwise", "matmul", "reductions", "views", "softmax", "loss", "broadcast", "pow_div", "indexing", "linear_only" };

    private static Tensor Program(string name, Tensor x, Tensor w) => name switch
    {
        "elementwise" => (x.Sin() * x.Exp()) + x.Tanh() - x.Sigmoid(),
        "matmul" => Tensor.MatMul(x.Reshape(2, 3), w).Relu(),
        "reductions" => Tensor.Stack([x.Sum(), x.Mean(), (x * x).Sum().Sqrt()]),
        "views" => x.Reshape(3, 2).Transpose(0, 1).Flip(0).Reshape(-1) * 2.0,
        "softmax" => Functional.LogSoftmax(x.Reshape(2, 3)),
        "loss" => Functional.CrossEntropy(x.Reshape(2, 3), Tensor.From([2L, 0L])),
        "broadcast" => (x.Reshape(2, 3) + w.Select(1, 0)).Sum(0),
        "pow_div" => x.Pow(3) / (x.Exp() + 1.0),
        "indexing" => x.IndexSelect(0, Tensor.From([5L, 0L, 0L, 2L])) * w.Reshape(-1)[..4],
        _ => (x * 3.0) - 1.0,
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void TangentsMatchTheReverseJacobian(string name)
    {
        var generator = new Generator(name.Length * 31);
        Tensor x = Tensor.Uniform([6], 0.2, 1.2, DType.Float64, generator: generator);
        Tensor w = Tensor.Uniform([3, 2], -1, 1, DType.Float64, generator: generator);
        Tensor t = Tensor.Uniform([6], -1, 1, DType.Float64, generator: generator);

        Tensor jacobian = Autodiff.Jacobian(v => Program(name, v, w), x);
        int outputs = jacobian.Count / 6;
        Tensor expected = Tensor.MatMul(jacobian.Reshape(outputs, 6), t);

        using (Autodiff.DualLevel())
        {
            Tensor dual = Autodiff.MakeDual(x, t);
            (Tensor primal, Tensor? tangent) = Autodiff.UnpackDual(Program(name, dual, w));
            primal.ToArray<double>().Should().Equal(Program(name, x, w).ToArray<double>());
            tangent.Should().NotBeNull();
            double[] got = tangent!.Reshape(-1).ToArray<double>(), want = expected.ToArray<double>();
            for (int i = 0; i < want.Length; i++)
            {
                got[i].Should().BeApproximately(want[i], 1e-12 * Math.Max(1, Math.Abs(want[i])), "element {0}", i);
            }
        }
    }

    [Fact]
    public void HandDerived_TangentOfXSquaredTimesSin()
    {
        // f = x²·sin x, f' = 2x sin x + x² cos x; J·t = f'(x)·t elementwise. At x = 1, t = 3: 3(2 sin 1 + cos 1).
        using (Autodiff.DualLevel())
        {
            Tensor dual = Autodiff.MakeDual(Tensor.From([1.0]), Tensor.From([3.0]));
            (_, Tensor? tangent) = Autodiff.UnpackDual(dual.Pow(2) * dual.Sin());
            tangent!.Item<double>().Should().BeApproximately(3 * ((2 * Math.Sin(1)) + Math.Cos(1)), 1e-14);
            Autodiff.UnpackDual(dual).Tangent!.Item<double>().Should().Be(3.0);
            Autodiff.UnpackDual(Tensor.From([1.0])).Tangent.Should().BeNull();
        }
    }

    [Fact]
    public void DualsNeedALevel_AndMatchingShapes()
    {
        FluentActions.Invoking(() => Autodiff.MakeDual(Tensor.From([1.0]), Tensor.From([1.0])))
            .Should().Throw<InvalidOperationException>().WithMessage("To create a dual Tensor, you need to be in a dual level context*");
        using (Autodiff.DualLevel())
        {
            FluentActions.Invoking(() => Autodiff.MakeDual(Tensor.From([1.0, 2.0]), Tensor.From([1.0])))
                .Should().Throw<ArgumentException>().WithMessage("Trying to set a forward gradient that has a different size than that of the original Tensor*");
        }
    }
}
