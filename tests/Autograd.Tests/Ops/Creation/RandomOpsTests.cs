using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Creation;

/// <summary>
/// The random creation ops: their streams are the library's own (not PyTorch's), so the values are tested by their
/// distribution. Every bound is k = 5 standard errors of the statistic (σ/√n for a mean, σ²·√(2/n) for a normal
/// variance, √(2·dof) around dof for a chi-square), which a correct sampler exceeds with probability below 1e-5 per
/// check; the seeds are fixed, so each test is deterministic and a failure means a wrong distribution, not bad luck.
/// Also: ranges, permutation validity, distinctness without replacement, dtypes as PyTorch, and determinism under a
/// seed.
/// </summary>
public class RandomOpsTests
{
    private const double K = 5;

    private static (double Mean, double Variance) Moments(Tensor t)
    {
        double[] v = t.ToArray<double>();
        double mean = v.Average();
        double variance = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, variance);
    }

    /// <summary>Σ (observed − expected)² / expected over the categories.</summary>
    private static double ChiSquare(long[] counts, double[] expected) =>
        counts.Select((c, k) => (c - expected[k]) * (c - expected[k]) / expected[k]).Sum();

    /// <summary>The chi-square bound for <paramref name="dof"/> degrees of freedom: dof + K·√(2·dof).</summary>
    private static double ChiSquareBound(int dof) => dof + (K * Math.Sqrt(2.0 * dof));

    private static long[] Counts(IEnumerable<long> values, int categories)
    {
        var counts = new long[categories];
        foreach (long v in values)
        {
            counts[v]++;
        }

        return counts;
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Normal_HasTheRequestedMeanAndVariance(DType dtype)
    {
        const int n = 200_000;
        const double mean = 2, std = 3;
        Tensor x = Tensor.Normal(mean, std, [n], dtype, generator: new Generator(1));
        x.DType.Should().Be(dtype);
        (double m, double v) = Moments(x);
        m.Should().BeApproximately(mean, K * std / Math.Sqrt(n));
        v.Should().BeApproximately(std * std, K * std * std * Math.Sqrt(2.0 / n));
    }

    [Fact]
    public void Normal_TensorMeanAndStd_BroadcastAndHaveElementwiseMoments()
    {
        const int n = 100_000;
        Tensor mean = Tensor.From([-4.0, 10.0], [2, 1]);
        Tensor std = Tensor.From([0.5, 2.0], [1, 2]);
        Tensor x = Tensor.Normal(mean.Expand(2, 2).Reshape(2, 2, 1).Expand(2, 2, n), std.Expand(2, 2).Reshape(2, 2, 1), new Generator(2));
        x.Shape.ToArray().Should().Equal(2, 2, n);
        x.DType.Should().Be(DType.Float64);
        Tensor.Normal(mean, std).Shape.ToArray().Should().Equal(2, 2);
        double[] means = [-4, -4, 10, 10], stds = [0.5, 2, 0.5, 2];
        for (int cell = 0; cell < 4; cell++)
        {
            (double m, double v) = Moments(x.Reshape(4, n).Select(0, cell));
            m.Should().BeApproximately(means[cell], K * stds[cell] / Math.Sqrt(n), "cell {0}", cell);
            v.Should().BeApproximately(stds[cell] * stds[cell], K * stds[cell] * stds[cell] * Math.Sqrt(2.0 / n), "cell {0}", cell);
        }
    }

    [Fact]
    public void Normal_ScalarForms_AndZeroStdGivesTheMean()
    {
        Tensor mean = Tensor.From([1.5f, -2f, 7f]);
        Tensor.Normal(mean, 0.0).ToArray<float>().Should().Equal(1.5f, -2f, 7f);
        Tensor.Normal(3.0, Tensor.Zeros([4], DType.Float64)).ToArray<double>().Should().Equal(3, 3, 3, 3);
        Tensor.Normal(mean, 1.0).DType.Should().Be(DType.Float32);
    }

    [Fact]
    public void Normal_GradientToMeanAndStdIsZero_AsPyTorch()
    {
        // PyTorch's normal is not reparameterised: derivatives.yaml sends zeros to mean and std.
        Tensor mean = Tensor.Zeros([3], DType.Float64, requiresGrad: true);
        Tensor std = Tensor.Ones([3], DType.Float64, requiresGrad: true);
        Tensor output = Tensor.Normal(mean, std, new Generator(3));
        output.RequiresGrad.Should().BeTrue();
        output.Sum().Backward();
        mean.Grad!.ToArray<double>().Should().Equal(0, 0, 0);
        std.Grad!.ToArray<double>().Should().Equal(0, 0, 0);
    }

    [Fact]
    public void Randint_IsUniformOverTheRange_ChiSquare()
    {
        const int n = 100_000, low = -3, high = 7;
        Tensor x = Tensor.Randint(low, high, [n], generator: new Generator(4));
        x.DType.Should().Be(DType.Int64, "torch.randint is int64 by default");
        long[] v = x.ToArray<long>();
        v.Should().OnlyContain(e => e >= low && e < high);
        long[] counts = Counts(v.Select(e => e - low), high - low);
        ChiSquare(counts, [.. Enumerable.Repeat((double)n / (high - low), high - low)]).Should().BeLessThan(ChiSquareBound(high - low - 1));
    }

    [Fact]
    public void Randint_RangeNotAPowerOfTwo_IsUnbiased()
    {
        // A modulo reduction of 64 random bits would be biased by ~1e-19 only; a reduction of few bits (e.g. 24) by far
        // more. Three categories, 300000 draws: the chi-square bound catches a bias of ~1% per category.
        const int n = 300_000;
        long[] counts = Counts(Tensor.Randint(3, [n], generator: new Generator(5)).ToArray<long>(), 3);
        ChiSquare(counts, [n / 3.0, n / 3.0, n / 3.0]).Should().BeLessThan(ChiSquareBound(2));
    }

    [Fact]
    public void Randint_HugeRange_StaysInRangeWithMeanNearTheMiddle()
    {
        const int n = 50_000;
        long low = long.MinValue / 2, high = long.MaxValue / 2;
        long[] v = Tensor.Randint(low, high, [n], generator: new Generator(6)).ToArray<long>();
        v.Should().OnlyContain(e => e >= low && e < high);
        // Uniform on [low, high): σ = (high − low)/√12.
        double sigma = ((double)high - low) / Math.Sqrt(12);
        v.Select(e => (double)e).Average().Should().BeApproximately(((double)low + high) / 2, K * sigma / Math.Sqrt(n));
    }

    [Fact]
    public void Randint_Dtypes_AsPyTorch()
    {
        Tensor f = Tensor.Randint(0, 5, [1000], DType.Float32, new Generator(7));
        f.DType.Should().Be(DType.Float32);
        f.ToArray<float>().Should().OnlyContain(e => e == MathF.Floor(e) && e >= 0 && e < 5);
        Tensor.Randint(0, 5, [2, 3], DType.Int32).DType.Should().Be(DType.Int32);
        // torch.randint_like(torch.zeros(2), 5).dtype is float32: the like-tensor's dtype.
        Tensor.RandintLike(Tensor.Zeros(2), 5).DType.Should().Be(DType.Float32);
        Tensor.RandintLike(Tensor.Zeros([2, 2], DType.Int64), 2, 4).ToArray<long>().Should().OnlyContain(e => e == 2 || e == 3);
        Tensor.Randint(0, 1, [0]).Shape.ToArray().Should().Equal(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1000)]
    public void RandPerm_IsAPermutation(int n)
    {
        Tensor p = Tensor.RandPerm(n, generator: new Generator(8));
        p.DType.Should().Be(DType.Int64);
        p.Shape.ToArray().Should().Equal(n);
        p.ToArray<long>().Order().Should().Equal(Enumerable.Range(0, n).Select(i => (long)i));
    }

    [Fact]
    public void RandPerm_EveryOrderIsEquallyLikely_ChiSquare()
    {
        const int draws = 60_000;
        var generator = new Generator(9);
        var counts = new long[6];
        for (int i = 0; i < draws; i++)
        {
            long[] p = Tensor.RandPerm(3, generator: generator).ToArray<long>();
            counts[(p[0] * 2) + (p[1] > p[2] ? 1 : 0)]++;   // the first element and the order of the other two name the permutation
        }

        ChiSquare(counts, [.. Enumerable.Repeat(draws / 6.0, 6)]).Should().BeLessThan(ChiSquareBound(5));
        Tensor.RandPerm(4, DType.Float64).DType.Should().Be(DType.Float64);
    }

    [Fact]
    public void Multinomial_WithReplacement_FrequenciesFollowTheWeights_ChiSquare()
    {
        const int n = 100_000;
        double[] p = [0.1, 0.2, 0.3, 0.4];
        // Unnormalised weights: multinomial divides by the sum.
        Tensor x = Tensor.Multinomial(Tensor.From([1f, 2f, 3f, 4f]), n, replacement: true, new Generator(10));
        x.DType.Should().Be(DType.Int64);
        x.Shape.ToArray().Should().Equal(n);
        ChiSquare(Counts(x.ToArray<long>(), 4), [.. p.Select(q => q * n)]).Should().BeLessThan(ChiSquareBound(3));
    }

    [Fact]
    public void Multinomial_WithReplacement_NeverDrawsAZeroWeight()
    {
        long[] v = Tensor.Multinomial(Tensor.From([0.0, 1.0, 0.0, 1e-3, 0.0]), 50_000, true, new Generator(11)).ToArray<long>();
        v.Should().OnlyContain(e => e == 1 || e == 3);
        v.Should().Contain(3);
    }

    [Fact]
    public void Multinomial_WithoutReplacement_RowsNeverRepeat_AndFollowSequentialDraws()
    {
        // Without replacement the first draw is k with probability pₖ, the second k with Σ_{j≠k} pⱼ·pₖ/(1 − pⱼ).
        const int rows = 40_000;
        double[] p = [0.1, 0.2, 0.3, 0.4];
        Tensor weights = Tensor.From(p).Reshape(1, 4).Expand(rows, 4);
        Tensor x = Tensor.Multinomial(weights, 4, generator: new Generator(12));
        x.Shape.ToArray().Should().Equal(rows, 4);
        long[] v = x.ToArray<long>();
        for (int r = 0; r < rows; r++)
        {
            v.Skip(r * 4).Take(4).Order().Should().Equal([0L, 1, 2, 3], "row {0} is a permutation", r);
        }

        long[] first = Counts(Enumerable.Range(0, rows).Select(r => v[r * 4]), 4);
        long[] second = Counts(Enumerable.Range(0, rows).Select(r => v[(r * 4) + 1]), 4);
        double[] expectedSecond = [.. Enumerable.Range(0, 4).Select(k => rows * Enumerable.Range(0, 4).Where(j => j != k).Sum(j => p[j] * p[k] / (1 - p[j])))];
        ChiSquare(first, [.. p.Select(q => q * rows)]).Should().BeLessThan(ChiSquareBound(3));
        ChiSquare(second, expectedSecond).Should().BeLessThan(ChiSquareBound(3));
    }

    [Fact]
    public void Multinomial_WithoutReplacement_ZeroWeightsComeAfterPositiveOnes()
    {
        var generator = new Generator(13);
        for (int i = 0; i < 200; i++)
        {
            long[] v = Tensor.Multinomial(Tensor.From([0f, 1f, 0f, 2f]), 3, generator: generator).ToArray<long>();
            v.Take(2).Order().Should().Equal(1, 3);
            v[2].Should().BeOneOf(0, 2);
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Bernoulli_TensorP_HasMeanP_AndPsDtype(DType dtype)
    {
        const int n = 100_000;
        const double p = 0.3;
        Tensor x = Tensor.Bernoulli(Tensor.Full([n], p, dtype), new Generator(14));
        x.DType.Should().Be(dtype);
        x.ToArray<double>().Should().OnlyContain(e => e == 0 || e == 1);
        Moments(x).Mean.Should().BeApproximately(p, K * Math.Sqrt(p * (1 - p) / n));
        Tensor.Bernoulli(Tensor.From([0.0, 1.0, 0.0, 1.0])).ToArray<double>().Should().Equal(0, 1, 0, 1);
    }

    [Fact]
    public void Bernoulli_ScalarP_KeepsXsShapeAndDtype()
    {
        const int n = 100_000;
        Tensor x = Tensor.Bernoulli(Tensor.Zeros([n], DType.Int64), 0.75, new Generator(15));
        x.DType.Should().Be(DType.Int64);
        Moments(x).Mean.Should().BeApproximately(0.75, K * Math.Sqrt(0.75 * 0.25 / n));
        Tensor.Zeros(3).Bernoulli(1.0).ToArray<float>().Should().Equal(1f, 1f, 1f);
    }

    [Fact]
    public void InPlace_Uniform_FillsTheRangeWithTheRightMoments()
    {
        const int n = 200_000;
        Tensor x = Tensor.Zeros([n], DType.Float64);
        x.Uniform_(-2, 3, new Generator(16)).Should().BeSameAs(x);
        double[] v = x.ToArray<double>();
        v.Should().OnlyContain(e => e >= -2 && e < 3);
        // Uniform on [a, b): mean (a+b)/2, variance (b−a)²/12 = 25/12, and the variance of (x−μ)² is (b−a)⁴/180.
        (double m, double var) = Moments(x);
        m.Should().BeApproximately(0.5, K * Math.Sqrt(25.0 / 12 / n));
        var.Should().BeApproximately(25.0 / 12, K * Math.Sqrt(((625.0 / 80) - (625.0 / 144)) / n));
    }

    [Fact]
    public void Float64Draws_UseMoreThanFloat32Precision()
    {
        // A float64 draw that widened a float32 one would always round-trip through float; 53-bit draws almost never do.
        double[] uniform = Tensor.Rand([1000], DType.Float64, generator: new Generator(17)).ToArray<double>();
        uniform.Count(e => (double)(float)e == e).Should().BeLessThan(5);
        double[] normal = Tensor.Normal(0, 1, [1000], DType.Float64, generator: new Generator(18)).ToArray<double>();
        normal.Count(e => (double)(float)e == e).Should().BeLessThan(5);
        Tensor exponential = Tensor.Zeros([1000], DType.Float64).Exponential_(1, new Generator(19));
        exponential.ToArray<double>().Count(e => (double)(float)e == e).Should().BeLessThan(5);
        Tensor filled = Tensor.Zeros([1000], DType.Float64).Normal_(0, 1, new Generator(20));
        filled.ToArray<double>().Count(e => (double)(float)e == e).Should().BeLessThan(5);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void InPlace_Normal_And_Exponential_HaveTheRightMoments(DType dtype)
    {
        const int n = 200_000;
        (double m, double v) = Moments(Tensor.Zeros([n], dtype).Normal_(-1, 0.5, new Generator(21)));
        m.Should().BeApproximately(-1, K * 0.5 / Math.Sqrt(n));
        v.Should().BeApproximately(0.25, K * 0.25 * Math.Sqrt(2.0 / n));

        // Exponential with rate λ = 2: mean 1/λ, variance 1/λ²; the sample variance's variance is (μ₄ − σ⁴)/n = 8/λ⁴/n.
        Tensor e = Tensor.Zeros([n], dtype).Exponential_(2, new Generator(22));
        e.DType.Should().Be(dtype);
        e.ToArray<double>().Should().OnlyContain(x => x >= 0);
        (m, v) = Moments(e);
        m.Should().BeApproximately(0.5, K * 0.5 / Math.Sqrt(n));
        v.Should().BeApproximately(0.25, K * Math.Sqrt(8.0 / 16 / n));
        Tensor.Zeros(2).Exponential_(0).ToArray<float>().Should().Equal(float.PositiveInfinity, float.PositiveInfinity);
    }

    [Fact]
    public void InPlace_Bernoulli_ScalarAndTensorP()
    {
        const int n = 100_000;
        Tensor x = Tensor.Zeros([n], DType.Int32).Bernoulli_(0.2, new Generator(23));
        x.DType.Should().Be(DType.Int32);
        Moments(x).Mean.Should().BeApproximately(0.2, K * Math.Sqrt(0.2 * 0.8 / n));

        // p broadcast along the rows: column 0 is never 1, column 1 always.
        Tensor y = Tensor.Full([4, 2], 7.0, DType.Float64).Bernoulli_(Tensor.From([0.0, 1.0]), new Generator(24));
        y.ToArray<double>().Should().Equal(0, 1, 0, 1, 0, 1, 0, 1);
    }

    [Fact]
    public void InPlace_RandomFill_RefusesALeafThatRequiresGrad_AndSendsZeroGradientThroughANonLeaf()
    {
        Tensor leaf = Tensor.Zeros([3], DType.Float64, requiresGrad: true);
        FluentActions.Invoking(() => leaf.Uniform_()).Should().Throw<InvalidOperationException>()
            .WithMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        Tensor y = leaf * 2.0;
        y.Normal_();
        y.Sum().Backward();
        leaf.Grad!.ToArray<double>().Should().Equal(0, 0, 0);
    }

    [Fact]
    public void LikeFunctions_TakeTheShapeAndDtype()
    {
        Tensor other = Tensor.Zeros([2, 3], DType.Float64);
        Tensor.RandLike(other).DType.Should().Be(DType.Float64);
        Tensor.RandLike(other).Shape.ToArray().Should().Equal(2, 3);
        Tensor.RandnLike(other, DType.Float32).DType.Should().Be(DType.Float32);
        Tensor.RandLike(Tensor.Zeros(4), requiresGrad: true).RequiresGrad.Should().BeTrue();
        Tensor.RandLike(other).ToArray<double>().Should().OnlyContain(e => e >= 0 && e < 1);
    }

    [Fact]
    public void SameSeedSameOutput_DifferentSeedsDiffer()
    {
        static Tensor[] All(long seed)
        {
            var g = new Generator(seed);
            return
            [
                Tensor.Normal(0, 1, [50], DType.Float64, generator: g),
                Tensor.Normal(Tensor.Zeros(50), 2.0, g),
                Tensor.Randint(0, 1000, [50], generator: g),
                Tensor.RandPerm(50, generator: g),
                Tensor.Multinomial(Tensor.Ones(50), 50, generator: g),
                Tensor.Multinomial(Tensor.Ones(50), 50, true, g),
                Tensor.Bernoulli(Tensor.Full([50], 0.5f), g),
                Tensor.Bernoulli(Tensor.Zeros(50), 0.5, g),
                Tensor.Zeros([50], DType.Float64).Uniform_(0, 1, g),
                Tensor.Zeros(50).Normal_(0, 1, g),
                Tensor.Zeros(50).Exponential_(1, g),
                Tensor.Zeros(50).Bernoulli_(0.5, g),
                Tensor.RandLike(Tensor.Zeros(50), generator: g),
                Tensor.RandnLike(Tensor.Zeros(50), generator: g),
                Tensor.RandintLike(Tensor.Zeros(50), 1000, generator: g),
            ];
        }

        Tensor[] a = All(42), b = All(42), c = All(43);
        for (int i = 0; i < a.Length; i++)
        {
            a[i].ToArray<double>().Should().Equal(b[i].ToArray<double>(), "op {0} under the same seed", i);
            a[i].ToArray<double>().Should().NotEqual(c[i].ToArray<double>(), "op {0} under another seed", i);
        }
    }
}

/// <summary>
/// The default generator is process-wide (other tests draw from it for module initialisation), so a seed replay
/// through it runs in a collection that runs alone.
/// </summary>
[Collection(nameof(FullCollections))]
public class DefaultGeneratorCreationTests
{
    [Fact]
    public void DefaultGenerator_ManualSeedReplays()
    {
        Tensor.ManualSeed(123);
        long[] first = Tensor.Randint(0, 1 << 30, [20]).ToArray<long>();
        long[] perm = Tensor.RandPerm(20).ToArray<long>();
        Tensor.ManualSeed(123);
        Tensor.Randint(0, 1 << 30, [20]).ToArray<long>().Should().Equal(first);
        Tensor.RandPerm(20).ToArray<long>().Should().Equal(perm);
    }
}
