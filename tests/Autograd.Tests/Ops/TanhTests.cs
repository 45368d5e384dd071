using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public sealed class TanhTests
{
    [Fact]
    public void Values_AreExactAtZeroAndSaturation()
    {
        // tanh(±0) = ±0 and tanh(±20) rounds to ±1 in float, as PyTorch prints them.
        Tensor.Tanh(Tensor.From([0f, -0f, 20f, -20f, 0.5f])).ToArray()
            .Should().Equal([0f, -0f, 1f, -1f, (float)Math.Tanh(0.5)], (p, q) => p.Equals(q));
        Tensor.Tanh(Tensor.Zeros(40)).ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void Gradient_HandDerived()
    {
        // d/dx tanh x = 1 − tanh² x: at 0 it is 1; at atanh(0.5) it is 0.75.
        var x = Tensor.From([0f, (float)Math.Atanh(0.5)], requiresGrad: true);
        Tensor.Tanh(x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal([1f, 0.75f], (p, q) => Math.Abs(p - q) < 1e-6f);
        x.Tanh().GradFn!.Name.Should().Be("TanhBackward");
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var x = Tensor.Randn([3, 5], requiresGrad: true, generator: new Generator(51));
        GradCheck.Assert(t => Tensor.Tanh(t[0] * 2f).Sum(), [x]);
    }

    [Fact]
    public void SecondDerivative_HandDerived()
    {
        // d²/dx² tanh x = −2 tanh x (1 − tanh² x) = −2·0.5·0.75 = −0.75 at atanh(0.5).
        var x = Tensor.Scalar((float)Math.Atanh(0.5), requiresGrad: true);
        Tensor.Tanh(x).Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Backward();
        x.Grad!.Item().Should().BeApproximately(-0.75f, 1e-6f);
    }
}
