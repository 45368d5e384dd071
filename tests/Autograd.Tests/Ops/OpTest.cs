using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Shared helpers for the per-op gradient tests.</summary>
public static class OpTest
{
    /// <summary>Shapes that exercise broadcasting of a binary op: equal, trailing, both-sided, 0-d on either side.</summary>
    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { [2, 3], [2, 3] },
        { [2, 3], [3] },
        { [3], [2, 3] },
        { [2, 1], [1, 3] },
        { [], [2, 3] },
        { [2, 3], [] },
        { [], [] },
        { [2, 1, 4], [3, 1] },
    };

    /// <summary>A leaf with elements uniform in [low, high) from a fixed seed, so every run checks the same points.</summary>
    public static Tensor Uniform(int[] shape, float low, float high, int seed, bool requiresGrad = true) =>
        Tensor.Uniform(shape, low, high, requiresGrad, new Generator(seed));

    /// <summary>
    /// A leaf with |x| uniform in [low, high) and random signs: keeps finite differences away from the kink of
    /// relu at 0 and the pole of 1/x.
    /// </summary>
    public static Tensor AwayFromZero(int[] shape, float low, float high, int seed, bool requiresGrad = true)
    {
        var generator = new Generator(seed);
        float[] values = Tensor.Uniform(shape, low, high, generator: generator).ToArray();
        float[] signs = Tensor.Uniform(shape, -1f, 1f, generator: generator).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = signs[i] < 0f ? -values[i] : values[i];
        }

        return Tensor.From(values, shape, requiresGrad);
    }

    /// <summary>
    /// The function t ↦ ∂(Σ f(t))/∂t[<paramref name="wrt"/>], computed by a backward pass with <c>createGraph</c>, so that
    /// <see cref="GradCheck"/> can check second derivatives. Recording is forced on (the checker evaluates its
    /// finite differences under no-grad), and the leaves' gradients are cleared again so the checker sees only its own.
    /// </summary>
    public static Func<Tensor[], Tensor> Gradient(Func<Tensor[], Tensor> f, int wrt) => t =>
    {
        // The checker leaves its last analytical row in the leaves' Grad; start from none so nothing accumulates onto it.
        foreach (Tensor input in t)
        {
            input.Grad = null;
        }

        using (GradMode.EnableGrad())
        {
            f(t).Sum().Backward(createGraph: true);
        }

        Tensor gradient = t[wrt].Grad!;
        foreach (Tensor input in t)
        {
            input.Grad = null;
        }

        return gradient;
    };

    /// <summary>Asserts shape and values, element by element, within <paramref name="tolerance"/> (absolute, and relative to large values).</summary>
    public static void ShouldBe(this Tensor? actual, int[] shape, float[] expected, double tolerance = 1e-6)
    {
        actual.Should().NotBeNull();
        actual!.Shape.ToArray().Should().Equal(shape, "the shape of {0}", actual);
        float[] values = actual.ToArray();
        values.Should().HaveCount(expected.Length);
        for (int i = 0; i < values.Length; i++)
        {
            ((double)values[i]).Should().BeApproximately(
                expected[i], tolerance * Math.Max(1.0, Math.Abs(expected[i])), "element {0} of {1}", i, actual);
        }
    }

    /// <summary>Like <see cref="ShouldBe(Tensor?, int[], float[], double)"/> for a 0-d tensor.</summary>
    public static void ShouldBeScalar(this Tensor? actual, float expected, double tolerance = 1e-6) =>
        actual.ShouldBe([], [expected], tolerance);
}
