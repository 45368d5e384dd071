using Autograd.Kernels;
using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// The fused backward kernels: at every length 0..256 (and a few large ones) against their scalar operators (bit for
/// bit) and a double evaluation of the same formula from the same float inputs; and through autograd, the fused path
/// (plain backward) against the tensor-formula path (createGraph: true) on the same inputs.
/// </summary>
public sealed class FusedBackwardTests
{
    private static readonly int[] s_lengths = [.. Enumerable.Range(0, 257), 1000, 4099, 65537];

    public static TheoryData<string> Kernels => ["sigmoid", "tanh", "relu", "sin", "cos", "bce", "multiplyAdd"];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryLength_MatchesScalarOperatorAndDoubleFormula(string kernel)
    {
        var random = new Random(3);
        foreach (int length in s_lengths)
        {
            float[] a = Random(random, length, -4f, 4f), b = Random(random, length, -1f, 1f);
            if (kernel == "relu")
            {
                b.AsSpan(length / 2).Clear();  // ties at 0 must give gradient 0, as in PyTorch
            }

            float s = (float)random.NextDouble();
            float[] destination = new float[length + 1];
            destination[length] = 12345f;
            Run(kernel, a, b, s, destination.AsSpan(0, length));
            destination[length].Should().Be(12345f);
            for (int i = 0; i < length; i++)
            {
                (float scalar, double reference, double bound) = Expected(kernel, a[i], b[i], s);
                BitConverter.SingleToInt32Bits(destination[i]).Should().Be(
                    BitConverter.SingleToInt32Bits(scalar), "{0} length {1} index {2}: span and scalar paths agree", kernel, length, i);
                Math.Abs(destination[i] - reference).Should().BeLessThanOrEqualTo(bound, "{0}({1:R}, {2:R}, {3:R})", kernel, a[i], b[i], s);
            }
        }
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("sin")]
    [InlineData("cos")]
    public void UnaryOpBackward_FusedEqualsFormula(string op)
    {
        var random = new Random(5);
        foreach (int length in new[] { 0, 1, 5, 16, 17, 33, 256, 1000 })
        {
            float[] x = Random(random, length, -6f, 6f), g = Random(random, length, -2f, 2f);
            if (op == "relu" && length > 2)
            {
                x[1] = 0f;
            }

            float[] fused = Gradient(op, x, g, createGraph: false), formula = Gradient(op, x, g, createGraph: true);
            AssertClose(fused, formula, 1);
        }
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void BinaryCrossEntropyWithLogitsBackward_FusedEqualsFormula(Reduction reduction)
    {
        var random = new Random(9);
        foreach (int length in new[] { 1, 7, 16, 100 })
        {
            float[] x = Random(random, length, -30f, 30f), y = Random(random, length, 0f, 1f);
            (float[] fusedX, float[] fusedY) = BceGradients(x, y, reduction, createGraph: false);
            (float[] formulaX, float[] formulaY) = BceGradients(x, y, reduction, createGraph: true);
            // The fused kernel uses VectorMath's σ (0.50 ulp), the formula Tensor.Sigmoid (TensorPrimitives); σ(x) − y
            // cancels, so their difference is bounded by a few ulp of the terms σ and y, times the scale |∂ℓ/∂y| / |x|.
            for (int i = 0; i < length; i++)
            {
                double scale = x[i] == 0 ? 0 : Math.Abs(formulaY[i] / x[i]);
                double terms = (1 / (1 + Math.Exp(-x[i]))) + y[i];
                Math.Abs((double)fusedX[i] - formulaX[i]).Should().BeLessThanOrEqualTo(4 * terms * scale / (1 << 24), "index {0}", i);
            }

            AssertClose(fusedY, formulaY, 1);
        }
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void CrossEntropyBackward_FusedEqualsFormula(Reduction reduction)
    {
        var random = new Random(13);
        foreach (int classes in new[] { 1, 3, 16, 17, 40, 130 })
        {
            int rows = 5;
            float[] logits = Random(random, rows * classes, -8f, 8f);
            int[] targets = [.. Enumerable.Range(0, rows).Select(_ => random.Next(classes))];
            float[] fused = CrossEntropyGradient(logits, rows, classes, targets, reduction, createGraph: false);
            float[] formula = CrossEntropyGradient(logits, rows, classes, targets, reduction, createGraph: true);
            AssertClose(fused, formula, 1);
        }
    }

    [Fact]
    public void LogSoftmaxBackward_FusedEqualsFormula()
    {
        // ∂/∂x Σ w ⊙ logsoftmax(x) = w − softmax(x)·Σw per row. g − p·Σg may cancel, so the tolerance is relative to
        // the larger term: the paths may sum Σg in different orders.
        var random = new Random(17);
        foreach (int classes in new[] { 1, 3, 16, 17, 40, 130 })
        {
            float[] x = Random(random, 4 * classes, -5f, 5f), w = Random(random, 4 * classes, -1f, 1f);
            float[][] results = new float[2][];
            foreach (bool createGraph in new[] { false, true })
            {
                Tensor input = Tensor.From(x, [4, classes], requiresGrad: true);
                (Functional.LogSoftmax(input) * Tensor.From(w, [4, classes])).Sum().Backward(createGraph: createGraph);
                results[createGraph ? 1 : 0] = input.Grad!.ToArray();
            }

            for (int i = 0; i < x.Length; i++)
            {
                Math.Abs(results[0][i] - results[1][i]).Should().BeLessThanOrEqualTo(1e-6f * (1 + Math.Abs(results[1][i])));
            }
        }
    }

    private static float[] Random(Random random, int length, float low, float high)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(low + (random.NextDouble() * (high - low)));
        }

        return values;
    }

    private static void Run(string kernel, float[] a, float[] b, float s, Span<float> destination)
    {
        switch (kernel)
        {
            case "sigmoid": FusedBackward.Sigmoid(a, b, destination); break;
            case "tanh": FusedBackward.Tanh(a, b, destination); break;
            case "relu": FusedBackward.Relu(a, b, destination); break;
            case "sin": FusedBackward.Sin(a, b, destination); break;
            case "cos": FusedBackward.Cos(a, b, destination); break;
            case "bce": FusedBackward.BinaryCrossEntropyWithLogits(a, b, s, destination); break;
            default: FusedBackward.MultiplyAdd(a, s, b, destination); break;
        }
    }

    /// <summary>
    /// The scalar operator's value, the formula in double from the same float inputs, and an absolute bound: a few
    /// float roundings of the terms involved (for tanh, 1 − t² cancels, so the bound is in ulps of |g|, not of the result).
    /// </summary>
    private static (float Scalar, double Reference, double Bound) Expected(string kernel, float a, float b, float s)
    {
        const double Eps = 1.0 / (1 << 23);
        return kernel switch
        {
            "sigmoid" => (SigmoidBackwardOperator.Invoke(a, b, s), (double)a * b * (1.0 - b), 2 * Eps * Math.Abs((double)a * b * (1.0 - b))),
            "tanh" => (TanhBackwardOperator.Invoke(a, b, s), a * (1.0 - ((double)b * b)), 2 * Eps * Math.Abs(a)),
            "relu" => (ReluBackwardOperator.Invoke(a, b, s), b > 0 ? a : 0.0, 0.0),
            "sin" => (SinBackwardOperator.Invoke(a, b, s), a * Math.Cos(b), 2 * Eps * Math.Abs(a)),
            "cos" => (CosBackwardOperator.Invoke(a, b, s), -a * Math.Sin(b), 2 * Eps * Math.Abs(a)),
            "bce" => (BceWithLogitsBackwardOperator.Invoke(a, b, s), ((1 / (1 + Math.Exp(-a))) - b) * s, 2 * Eps * s),
            _ => (MathF.FusedMultiplyAdd(a, s, b), ((double)a * s) + b, Eps * (Math.Abs((double)a * s) + Math.Abs(b))),
        };
    }

    private static float[] Gradient(string op, float[] x, float[] g, bool createGraph)
    {
        Tensor input = Tensor.From(x, requiresGrad: true);
        Tensor output = op switch
        {
            "sigmoid" => Tensor.Sigmoid(input),
            "tanh" => Functional.Tanh(input),
            "relu" => Tensor.Relu(input),
            "sin" => Tensor.Sin(input),
            _ => Tensor.Cos(input),
        };
        output.Backward(Tensor.From(g), createGraph: createGraph);
        return input.Grad!.ToArray();
    }

    private static (float[] X, float[] Y) BceGradients(float[] x, float[] y, Reduction reduction, bool createGraph)
    {
        Tensor input = Tensor.From(x, requiresGrad: true), target = Tensor.From(y, requiresGrad: true);
        Tensor loss = Functional.BinaryCrossEntropyWithLogits(input, target, reduction);
        loss.Backward(reduction == Reduction.None ? Tensor.From([.. x.Select((_, i) => 0.5f + i)]) : null, createGraph: createGraph);
        return (input.Grad!.ToArray(), target.Grad!.ToArray());
    }

    private static float[] CrossEntropyGradient(float[] logits, int rows, int classes, int[] targets, Reduction reduction, bool createGraph)
    {
        Tensor input = Tensor.From(logits, [rows, classes], requiresGrad: true);
        Tensor loss = Functional.CrossEntropy(input, targets, reduction);
        loss.Backward(reduction == Reduction.None ? Tensor.From([.. Enumerable.Range(0, rows).Select(i => 1f + i)]) : null, createGraph: createGraph);
        return input.Grad!.ToArray();
    }

    private static void AssertClose(float[] actual, float[] expected, double maxUlp)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            Ulp.Error(actual[i], expected[i]).Should().BeLessThanOrEqualTo(maxUlp, "index {0}: {1:R} vs {2:R}", i, actual[i], expected[i]);
        }
    }
}
