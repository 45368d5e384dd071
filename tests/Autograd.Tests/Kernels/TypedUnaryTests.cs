using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>The float64 span kernels of <see cref="TypedUnary"/> at every length 0..256, against Math.</summary>
public sealed class TypedUnaryTests
{
    public static TheoryData<int> Lengths => [.. Enumerable.Range(0, 257)];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PowReluAndStep_MatchTheirScalarDefinitions(int length)
    {
        var random = new Random(length);
        double[] x = new double[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (random.NextDouble() * 4) - 2;
        }

        if (length > 2)
        {
            x[0] = 0;
            x[1] = double.NaN;
        }

        double[] result = new double[length];
        foreach (double p in new[] { 0, 1, 2, 3, 0.5, -1, 2.5, -0.5 })
        {
            TypedUnary.Pow(x, p, result);
            for (int i = 0; i < length; i++)
            {
                // The special cases are exact products, roots and reciprocals; the rest is Math.Pow itself.
                double expected = p switch { 2 => x[i] * x[i], 3 => x[i] * x[i] * x[i], -1 => 1 / x[i], 0.5 => Math.Sqrt(x[i]), _ => Math.Pow(x[i], p) };
                result[i].Should().Be(expected, "x = {0}, p = {1}", x[i], p);
            }
        }

        TypedUnary.Relu(x, result);
        for (int i = 0; i < length; i++)
        {
            result[i].Should().Be(double.IsNaN(x[i]) ? double.NaN : Math.Max(x[i], 0), "relu keeps NaN as PyTorch's clamp_min");
        }

        TypedUnary.Step(x, result);
        for (int i = 0; i < length; i++)
        {
            // relu's gradient mask: 0 where the output is ≤ 0, 1 elsewhere, NaN included (PyTorch's threshold_backward).
            result[i].Should().Be(x[i] <= 0 ? 0 : 1);
        }
    }
}
