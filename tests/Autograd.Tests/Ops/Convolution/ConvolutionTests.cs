using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Convolution;

/// <summary>
/// Finite-difference checks in float64 (first order, and second order through <see cref="OpTest.Gradient"/>) for every
/// convolution, pooling and interpolation op, and hand-derived values.
/// </summary>
public class ConvolutionTests
{
    /// <summary>A float64 leaf uniform in [−1, 1) from a fixed seed.</summary>
    private static Tensor U(int[] shape, int seed, bool requiresGrad = true)
    {
        Tensor t = OpTest.Uniform(shape, -1f, 1f, seed, requiresGrad: false).Double();
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A float64 leaf whose elements are distinct and well separated (no near-ties for max pooling's finite differences).</summary>
    private static Tensor Distinct(int[] shape, int seed)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var random = new Random(seed);
        double[] values = [.. Enumerable.Range(0, count).Select(i => i * 0.1).OrderBy(_ => random.Next())];
        return Tensor.From(values, shape, requiresGrad: true);
    }

    [Fact]
    public void Conv2d_GradCheck_StridePaddingDilationGroupsBias() =>
        GradCheck.Assert(t => Functional.Conv2d(t[0], t[1], t[2], [2, 1], [1, 2], [1, 2], groups: 2), [U([2, 4, 7, 6], 1), U([4, 2, 3, 2], 2), U([4], 3)]);

    [Fact]
    public void Conv2d_GradCheck_SamePaddingEvenKernel() =>
        GradCheck.Assert(t => Functional.Conv2d(t[0], t[1], t[2], 1, "same"), [U([1, 2, 5, 6], 4), U([3, 2, 2, 4], 5), U([3], 6)]);

    [Fact]
    public void Conv2d_SecondOrder_GradCheck()
    {
        Func<Tensor[], Tensor> conv = t => Functional.Conv2d(t[0], t[1], stride: 2, padding: 1, groups: 2).Pow(2);
        Tensor[] inputs = [U([1, 4, 5, 5], 7), U([4, 2, 3, 3], 8)];
        GradCheck.Assert(OpTest.Gradient(conv, 0), inputs);
        GradCheck.Assert(OpTest.Gradient(conv, 1), inputs);
    }

    [Fact]
    public void Conv1d_GradCheck() =>
        GradCheck.Assert(t => Functional.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2), [U([2, 2, 9], 9), U([3, 2, 3], 10), U([3], 11)]);

    [Fact]
    public void ConvTranspose2d_GradCheck() =>
        GradCheck.Assert(
            t => Functional.ConvTranspose2d(t[0], t[1], t[2], [2, 1], [1, 0], [1, 0], 2, [1, 2]),
            [U([2, 4, 3, 4], 12), U([4, 1, 3, 2], 13), U([2], 14)]);

    [Fact]
    public void ConvTranspose2d_SecondOrder_GradCheck()
    {
        Func<Tensor[], Tensor> convT = t => Functional.ConvTranspose2d(t[0], t[1], stride: 2, padding: 1, outputPadding: 1).Pow(2);
        Tensor[] inputs = [U([1, 2, 3, 3], 15), U([2, 3, 3, 3], 16)];
        GradCheck.Assert(OpTest.Gradient(convT, 0), inputs);
        GradCheck.Assert(OpTest.Gradient(convT, 1), inputs);
    }

    [Fact]
    public void ConvTranspose1d_GradCheck() =>
        GradCheck.Assert(t => Functional.ConvTranspose1d(t[0], t[1], t[2], stride: 3, padding: 1, outputPadding: 2), [U([2, 2, 4], 17), U([2, 3, 3], 18), U([3], 19)]);

    [Fact]
    public void MaxPool_GradCheck()
    {
        GradCheck.Assert(t => Functional.MaxPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true), [Distinct([2, 2, 6, 7], 20)]);
        GradCheck.Assert(t => Functional.MaxPool2d(t[0], [2, 3], [1, 2], [1, 1], [2, 1]), [Distinct([1, 2, 7, 8], 21)]);
        GradCheck.Assert(t => Functional.MaxPool1d(t[0], 3, stride: 2, padding: 1), [Distinct([2, 2, 9], 22)]);
        GradCheck.Assert(t => Functional.AdaptiveMaxPool2d(t[0], 3, 2), [Distinct([2, 2, 5, 7], 23)]);
    }

    [Fact]
    public void AvgPool_GradCheck()
    {
        GradCheck.Assert(t => Functional.AvgPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false), [U([2, 2, 6, 7], 24)]);
        GradCheck.Assert(t => Functional.AvgPool2d(t[0], [2, 3], [1, 2], [1, 1], divisorOverride: 5), [U([1, 2, 5, 7], 25)]);
        GradCheck.Assert(t => Functional.AvgPool1d(t[0], 3, stride: 2, padding: 1), [U([2, 2, 9], 26)]);
        GradCheck.Assert(t => Functional.AdaptiveAvgPool2d(t[0], 3, 4), [U([2, 2, 5, 7], 27)]);
    }

    [Fact]
    public void Interpolate_GradCheck()
    {
        GradCheck.Assert(t => Functional.Interpolate(t[0], size: [5, 7]), [U([1, 2, 3, 4], 28)]);
        GradCheck.Assert(t => Functional.Interpolate(t[0], size: [5, 3], mode: "bilinear"), [U([1, 2, 3, 4], 29)]);
        GradCheck.Assert(t => Functional.Interpolate(t[0], scaleFactor: [1.5], mode: "bilinear", alignCorners: true), [U([1, 2, 3, 4], 30)]);
    }

    [Fact]
    public void LinearPools_SecondOrder_GradCheck()
    {
        // Pooling is linear in x, so ∂(Σ pool(x)·v)/∂x = poolᵀ(v): its derivative in v checks the backward's own backward.
        Tensor x = Distinct([1, 2, 5, 6], 31);
        (Func<Tensor, Tensor> Pool, int[] OutShape)[] pools =
        [
            (p => Functional.MaxPool2d(p, 3, stride: 2, padding: 1), [1, 2, 3, 3]),
            (p => Functional.AvgPool2d(p, 3, stride: 2, padding: 1, countIncludePad: false), [1, 2, 3, 3]),
            (p => Functional.AdaptiveAvgPool2d(p, 2, 4), [1, 2, 2, 4]),
            (p => Functional.Interpolate(p, size: [7, 4], mode: "bilinear"), [1, 2, 7, 4]),
        ];
        foreach ((Func<Tensor, Tensor> pool, int[] outShape) in pools)
        {
            GradCheck.Assert(OpTest.Gradient(t => pool(t[0]) * t[1], 0), [x, U(outShape, 32)]);
        }
    }

    [Fact]
    public void Conv2d_1x1_IsAPerPixelMatrixProduct()
    {
        // out[n, o, h, w] = Σ_c W[o, c]·x[n, c, h, w]: for each image, W [O, C] · x_n [C, H·W].
        Tensor x = U([2, 3, 4, 5], 33, requiresGrad: false), w = U([6, 3, 1, 1], 34, requiresGrad: false);
        Tensor expected = Tensor.MatMul(w.Reshape(6, 3), x.Reshape(2, 3, 20)).Reshape(2, 6, 4, 5);
        Functional.Conv2d(x, w).ToArray<double>().Should().BeEquivalentTo(expected.ToArray<double>(), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void Conv2d_HandDerived()
    {
        // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], W = [[1, 0], [0, −1]]: out[i, j] = x[i, j] − x[i+1, j+1] = −4 everywhere.
        // ∂Σout/∂x[a, b] = Σ over windows containing (a, b) of the weight at that tap: +1 for (a, b) ≤ (1, 1) as the
        // top-left tap, −1 for (a, b) ≥ (1, 1) as the bottom-right one, so x[1, 1] gets 1 − 1 = 0, corners ±1 or 0.
        Tensor x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], [1, 1, 3, 3], requiresGrad: true);
        Tensor w = Tensor.From([1f, 0f, 0f, -1f], [1, 1, 2, 2]);
        Tensor y = Functional.Conv2d(x, w);
        y.ToArray().Should().Equal(-4f, -4f, -4f, -4f);
        y.Sum().Backward();
        x.Grad!.ToArray().Should().Equal(1f, 1f, 0f, 1f, 0f, -1f, 0f, -1f, -1f);
    }

    [Fact]
    public void ConvTranspose2d_IsTheAdjointOfConv2d()
    {
        // ⟨conv(x, W), y⟩ = ⟨x, conv_transpose(y, W)⟩ for the same stride, padding, dilation and groups.
        Tensor x = U([2, 4, 7, 6], 35, false), w = U([6, 2, 3, 3], 36, false);
        Tensor y = Functional.Conv2d(x, w, null, [2, 1], [1, 2], [1, 2], groups: 2);
        Tensor v = U(y.Shape.ToArray(), 37, false);
        Tensor back = Functional.ConvTranspose2d(v, w, null, [2, 1], [1, 2], [0], 2, [1, 2]);
        back.Shape.ToArray().Should().Equal(2, 4, 7, 6);
        double left = (y * v).Sum().Item<double>(), right = (x * back).Sum().Item<double>();
        left.Should().BeApproximately(right, 1e-12);
    }

    [Fact]
    public void MaxPool_TiesGoToTheFirstMaximum()
    {
        // All four equal: PyTorch keeps the first (strict >), index 0, and the whole gradient goes there.
        Tensor x = Tensor.From([2f, 2f, 2f, 2f], [1, 1, 2, 2], requiresGrad: true);
        (Tensor y, Tensor index) = Functional.MaxPool2dWithIndices(x, 2);
        index.ToArray<long>().Should().Equal(0L);
        y.Sum().Backward();
        x.Grad!.ToArray().Should().Equal(1f, 0f, 0f, 0f);
    }

    [Fact]
    public void AvgPool_PaddingInTheDivisor()
    {
        // One element 4 under a 3×3 window with padding 1: 4/9 counting the padding, 4/1 without, 4/2 with an override of 2.
        Tensor x = Tensor.From([4f], [1, 1, 1, 1]);
        Functional.AvgPool2d(x, 3, stride: 1, padding: 1).Item<float>().Should().BeApproximately(4f / 9f, 1e-7f);
        Functional.AvgPool2d(x, 3, stride: 1, padding: 1, countIncludePad: false).Item<float>().Should().Be(4f);
        Functional.AvgPool2d(x, 3, stride: 1, padding: 1, divisorOverride: 2).Item<float>().Should().Be(2f);
    }

    [Fact]
    public void Bilinear_AlignCorners_KeepsTheCornersAndInterpolatesBetween()
    {
        // [[0, 1], [2, 3]] to 3×3 with align_corners: source positions 0, ½, 1 per axis, so the centre is the mean 1.5
        // and the edge midpoints the means of their corners.
        Tensor x = Tensor.From([0f, 1f, 2f, 3f], [1, 1, 2, 2]);
        Functional.Interpolate(x, size: [3, 3], mode: "bilinear", alignCorners: true).ToArray()
            .Should().Equal(0f, 0.5f, 1f, 1f, 1.5f, 2f, 2f, 2.5f, 3f);
    }

    [Fact]
    public void LeNetStep_TrainsThroughConvolutionAndPooling()
    {
        // Conv(1→6, 5×5) → relu → max pool 2 → Conv(6→16, 5×5) → relu → max pool 2 → linear 256→10: the loss of a batch
        // falls after one step of gradient descent, and every parameter receives a gradient of its own shape.
        var generator = new Generator(38);
        Tensor x = Tensor.Uniform([8, 1, 28, 28], -1f, 1f, generator: generator);
        Tensor target = Tensor.From([.. Enumerable.Range(0, 8).Select(i => (long)(i % 10))]);
        Tensor[] parameters =
        [
            Tensor.Uniform([6, 1, 5, 5], -0.2f, 0.2f, true, generator), Tensor.Zeros([6], requiresGrad: true),
            Tensor.Uniform([16, 6, 5, 5], -0.08f, 0.08f, true, generator), Tensor.Zeros([16], requiresGrad: true),
            Tensor.Uniform([10, 256], -0.06f, 0.06f, true, generator), Tensor.Zeros([10], requiresGrad: true),
        ];
        Tensor Loss()
        {
            Tensor h = Functional.MaxPool2d(Functional.Relu(Functional.Conv2d(x, parameters[0], parameters[1])), 2);
            h = Functional.MaxPool2d(Functional.Relu(Functional.Conv2d(h, parameters[2], parameters[3])), 2);
            return Functional.CrossEntropy(Functional.Linear(h.Reshape(8, 256), parameters[4], parameters[5]), target);
        }

        Tensor before = Loss();
        before.Backward();
        using (GradMode.NoGrad())
        {
            foreach (Tensor p in parameters)
            {
                p.Grad!.Shape.Should().Equal(p.Shape);
                p.CopyFrom(p - (p.Grad! * 0.5f));
            }
        }

        Loss().Item<float>().Should().BeLessThan(before.Item<float>());
    }
}
