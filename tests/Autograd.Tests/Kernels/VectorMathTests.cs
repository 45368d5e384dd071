using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// <see cref="VectorMath"/> against double-precision references (System.Math), through the span driver, so the
/// Vector512/256/128 paths, the masked tail and the scalar path are all exercised (CI runs these tests a second time
/// with AVX-512 disabled).
/// </summary>
public sealed class VectorMathTests
{
    /// <summary>
    /// A kernel, its scalar operator, a double reference, the ulp bound asserted, and a range for random inputs.
    /// Bounds are the measured maxima over the sweep below rounded up (exp 0.963, log 0.772, sigmoid, tanh, sin and cos
    /// 0.500; sin/cos lanes beyond 2²⁰ use MathF and measured 0.555; gelu 3, from its erfc fit's 1.2e-7 relative error,
    /// against x·erfc(−x/√2)/2 in double, which keeps the far negative tail that 1 + erf loses), where TensorPrimitives measured exp 2.27,
    /// log 2.13, sin/cos 0.528, and its sigmoid and tanh have huge errors for subnormal results and near 0.
    /// </summary>
    internal sealed record Function(
        string Name, SpanMap Kernel, Func<float, float> Scalar, Func<double, double> Reference, double MaxUlp, float Low, float High);

    private static readonly Function[] s_functions =
    [
        new("exp", VectorMath.Exp, ExpOperator.Invoke, Math.Exp, 1.0, -110f, 95f),
        new("log", VectorMath.Log, LogOperator.Invoke, Math.Log, 1.0, 0f, 1e4f),
        new("sigmoid", VectorMath.Sigmoid, SigmoidOperator.Invoke, x => 1 / (1 + Math.Exp(-x)), 0.51, -110f, 110f),
        new("tanh", VectorMath.Tanh, TanhOperator.Invoke, Math.Tanh, 0.51, -12f, 12f),
        new("sin", VectorMath.Sin, SinOperator.Invoke, Math.Sin, 0.6, -1e5f, 1e5f),
        new("cos", VectorMath.Cos, CosOperator.Invoke, Math.Cos, 0.6, -1e5f, 1e5f),
        new("gelu", VectorMath.Gelu, GeluOperator.Invoke, x => double.IsFinite(x) ? 0.5 * x * SpecialFunctions.Erfc(-x * 0.7071067811865476) : default(GeluFunction).Invoke(x), 3.0, -14f, 14f),
        Widened("silu", default(SiluKernel), x => x / (1 + Math.Exp(-x)), 1.0, -110f, 110f),
        Widened("mish", default(MishKernel), x => x * Math.Tanh(Log1p(Math.Exp(x))), 1.0, -110f, 40f),
        Widened("logsigmoid", default(LogSigmoidKernel), x => Math.Min(x, 0) - Log1p(Math.Exp(-Math.Abs(x))), 1.0, -110f, 110f),
        Widened("softplus", new SoftplusKernel(1, 20), x => x > 20 ? x : Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x))), 1.0, -110f, 40f),
        Widened("softplus(beta 2, threshold 5)", new SoftplusKernel(2, 5), x => 2 * x > 5 ? x : (Math.Max(2 * x, 0) + Log1p(Math.Exp(-Math.Abs(2 * x)))) / 2, 1.0, -60f, 10f),
        Widened("leaky_relu", new LeakyReluKernel(0.01), x => x > 0 ? x : x * 0.01, 0.5, -10f, 10f),
        Widened("hardswish", default(HardswishKernel), x => x * Math.Clamp(x + 3, 0, 6) / 6, 0.5, -5f, 5f),
        Backward("silu backward", default(SiluBackwardKernel), x => (1 / (1 + Math.Exp(-x))) * (1 + (x / (1 + Math.Exp(x)))), 1.0, -110f, 110f),
        Backward("logsigmoid backward", default(LogSigmoidBackwardKernel), x => 1 / (1 + Math.Exp(x)), 1.0, -110f, 110f),
        Backward("softplus backward", new SoftplusBackwardKernel(1, 20), x => x > 20 ? 1 : 1 / (1 + Math.Exp(-x)), 1.0, -110f, 40f),
        Backward("leaky_relu backward", new LeakyReluBackwardKernel(0.2), x => x > 0 ? 1 : 0.2, 0.5, -10f, 10f),
        Backward("hardswish backward", default(HardswishBackwardKernel), x => x < -3 ? 0 : x >= 3 ? 1 : (x / 3) + 0.5, 0.5, -5f, 5f),
    ];

    /// <summary>A widened kernel; its reference is the accurate double formula for finite x and the kernel's own scalar formula for ±∞ and NaN.</summary>
    private static Function Widened<TKernel>(string name, TKernel kernel, Func<double, double> reference, double maxUlp, float low, float high)
        where TKernel : struct, IWidenedUnary
    {
        SpanMap map = (x, destination) => WidenedMap.Map(kernel, x, destination);
        return new(name, map, x => OneElement(map, x), x => double.IsFinite(x) ? reference(x) : kernel.Scalar(x), maxUlp, low, high);
    }

    /// <summary>A fused backward kernel g·f′(x) at g = 1, so its values are f′(x).</summary>
    private static Function Backward<TKernel>(string name, TKernel kernel, Func<double, double> reference, double maxUlp, float low, float high)
        where TKernel : struct, IWidenedBinary
    {
        SpanMap map = (x, destination) =>
        {
            float[] ones = new float[x.Length];
            Array.Fill(ones, 1f);
            WidenedMap.Map(kernel, ones, x, destination);
        };
        return new(name, map, x => OneElement(map, x), x => double.IsFinite(x) ? reference(x) : kernel.Scalar(1, x), maxUlp, low, high);
    }

    private static float OneElement(SpanMap map, float x)
    {
        float[] result = new float[1];
        map([x], result);
        return result[0];
    }

    private static double Log1p(double x) => ActivationKernels.Log1p(x);

    public static TheoryData<string> Names => new(s_functions.Select(f => f.Name));

    private static Function Get(string name) => s_functions.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void StridedSweepOfAllFloats_WithinUlpBound(string name)
    {
        // Every 2039th bit pattern: 2.1M floats of every sign and binade, subnormals, ±∞ and NaNs included.
        Function f = Get(name);
        float[] x = new float[(int)((1L << 32) / 2039) + 1];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = BitConverter.Int32BitsToSingle((int)(uint)(i * 2039L));
        }

        float[] actual = new float[x.Length];
        f.Kernel(x, actual);
        AssertWithinBound(f, x, actual);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DenseRandomInputsInTheInterestingRange_WithinUlpBound(string name)
    {
        Function f = Get(name);
        var random = new Random(7);
        float[] x = new float[1 << 18];
        for (int i = 0; i < x.Length; i++)
        {
            // Half uniform over the range, half uniform in exponent near zero (|x| in [2⁻²⁰, 4]).
            x[i] = i % 2 == 0
                ? (float)(f.Low + (random.NextDouble() * (f.High - f.Low)))
                : (float)(Math.ScaleB(1.0, random.Next(-20, 2)) * (1 + random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1));
            if (name == "log")
            {
                x[i] = Math.Abs(x[i]);
            }
        }

        float[] actual = new float[x.Length];
        f.Kernel(x, actual);
        AssertWithinBound(f, x, actual);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryLength0To256AndLarge_MatchesScalarPathAndReference_InPlaceToo(string name)
    {
        Function f = Get(name);
        var random = new Random(11);
        foreach (int length in Enumerable.Range(0, 257).Concat([1000, 4099, 65537]))
        {
            float[] x = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = (float)(f.Low + (random.NextDouble() * (f.High - f.Low)));
            }

            // One sentinel past the end: the masked tail must not write beyond the span.
            float[] destination = new float[length + 1];
            destination[length] = 12345f;
            f.Kernel(x, destination.AsSpan(0, length));
            destination[length].Should().Be(12345f, "length {0}", length);

            float[] inPlace = (float[])x.Clone();
            f.Kernel(inPlace, inPlace);
            for (int i = 0; i < length; i++)
            {
                float scalar = f.Scalar(x[i]);
                if (BitConverter.SingleToInt32Bits(destination[i]) != BitConverter.SingleToInt32Bits(scalar)
                    || BitConverter.SingleToInt32Bits(inPlace[i]) != BitConverter.SingleToInt32Bits(scalar))
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{name} length {length} index {i}: x = {x[i]:R}, span {destination[i]:R}, in place {inPlace[i]:R}, scalar {scalar:R}");
                }
            }

            AssertWithinBound(f, x, destination.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Exp_SpecialValues()
    {
        // exp(0) is exactly 1 (TensorPrimitives' vector path gives 1.0000001f); 88.72283 is the last input below
        // float.MaxValue's overflow threshold ln(2¹²⁸) = 88.7228391; −87.33654 ≈ ln(2⁻¹²⁶) is the last normal result;
        // −103.97 ≈ ln(2⁻¹⁴⁹·½) is where results round to 0.
        // (null: within the bound of the double reference.)
        Check("exp", [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 88.72283f, 88.7229f, -87.33654f, -100f, -103.2789f, -104f, 1f],
            [1f, 1f, float.PositiveInfinity, 0f, float.NaN, null, float.PositiveInfinity, null, null, null, 0f, MathF.E]);
    }

    [Fact]
    public void Log_SpecialValues()
    {
        // ln 1 = 0 exactly; ln(±0) = −∞; ln of negatives and NaN is NaN; ln(2⁻¹⁴⁹) = −103.27893 (a subnormal input).
        Check("log", [1f, 0f, -0f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, MathF.E],
            [0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NaN, float.PositiveInfinity, float.NaN, null, null, 1f]);
    }

    [Fact]
    public void Sigmoid_SpecialValues()
    {
        // σ(0) = ½ exactly; saturates to exactly 1 and 0; σ(−100) = e⁻¹⁰⁰/(1 + e⁻¹⁰⁰) = 3.72e−44 is a subnormal, kept.
        Check("sigmoid", [0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 100f, 20f, -100f, -200f],
            [0.5f, 1f, 0f, float.NaN, 1f, 1f, null, 0f]);
    }

    [Fact]
    public void Tanh_SpecialValues()
    {
        // tanh(±0) = ±0 (sign kept); saturates to exactly ±1; NaN stays NaN.
        Check("tanh", [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 10f, -10f, 1e-30f],
            [0f, -0f, 1f, -1f, float.NaN, 1f, -1f, null]);
    }

    [Fact]
    public void SinCos_SpecialValues()
    {
        // ±∞ and NaN give NaN; sin(−0) = −0; large arguments use an exact reduction (the reference is Math in double).
        Check("sin", [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN], [0f, -0f, float.NaN, float.NaN, float.NaN]);
        Check("cos", [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN], [1f, 1f, float.NaN, float.NaN, float.NaN]);
        float[] large = [1e5f, -1e5f, 1048575f, 1048577f, 1e7f, -3e38f, float.MaxValue, 1.5707964f, 3.1415927f, 205887.4f, 4.5e4f];
        foreach (string name in new[] { "sin", "cos" })
        {
            float[] actual = new float[large.Length];
            Get(name).Kernel(large, actual);
            AssertWithinBound(Get(name), large, actual);
        }
    }

    /// <summary>
    /// Runs values through the span kernel (padded to 37 so both the vector body and the tail see them) and the scalar
    /// path, which must agree bit for bit; an expected value must then match exactly (NaN any NaN), a null one means
    /// within the function's bound of the double reference.
    /// </summary>
    private static void Check(string name, float[] inputs, float?[] expected)
    {
        Function f = Get(name);
        for (int shift = 0; shift < 37; shift += 12)
        {
            float[] x = new float[37];
            for (int i = 0; i < inputs.Length; i++)
            {
                x[(i + shift) % 37] = inputs[i];
            }

            float[] actual = new float[37];
            f.Kernel(x, actual);
            for (int i = 0; i < inputs.Length; i++)
            {
                float span = actual[(i + shift) % 37], scalar = f.Scalar(inputs[i]);
                bool ok = BitConverter.SingleToInt32Bits(span) == BitConverter.SingleToInt32Bits(scalar)
                    && (expected[i] is not float e ? Ulp.Error(span, f.Reference(inputs[i])) <= f.MaxUlp
                        : float.IsNaN(e) ? float.IsNaN(span)
                        : BitConverter.SingleToInt32Bits(span) == BitConverter.SingleToInt32Bits(e));
                ok.Should().BeTrue($"{name}({inputs[i]:R}) = {span:R} (scalar {scalar:R}), expected {expected[i]:R}");
            }
        }
    }

    private static void AssertWithinBound(Function f, float[] x, float[] actual)
    {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < x.Length; i++)
        {
            double error = Ulp.Error(actual[i], f.Reference(x[i]));
            if (!(error <= worst))
            {
                worst = error;
                at = i;
            }
        }

        worst.Should().BeLessThanOrEqualTo(
            f.MaxUlp, $"{f.Name}({(at < 0 ? 0 : x[at]):R}) = {(at < 0 ? 0 : actual[at]):R}, reference {(at < 0 ? 0 : f.Reference(x[at])):R}");
    }
}

/// <summary>GELU's derivative kernel against the double formula.</summary>
public sealed class GeluDerivativeKernelTests
{
    [Fact]
    public void MatchesTheDoubleFormula_WithinThreeUlpOfItsLargerTerm()
    {
        // Φ(x) + x·φ(x) crosses zero near x = −0.7518, where the two terms cancel: the error is bounded by the ulps of
        // the terms, |Φ| + |x·φ|, not of their sum. Both come from the erfc fit (1.2e-7 relative) and a double exp.
        var random = new Random(11);
        float[] x = new float[1 << 16];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 28) - 14);
        }

        x[0] = float.NaN;
        x[1] = float.PositiveInfinity;
        x[2] = float.NegativeInfinity;
        x[3] = 0f;
        float[] actual = new float[x.Length];
        VectorMath.GeluDerivative(x, actual);
        for (int i = 0; i < x.Length; i++)
        {
            double phi = Math.Exp(-0.5 * x[i] * x[i]) * 0.3989422804014327;
            double cdf = 0.5 * SpecialFunctions.Erfc(-x[i] * 0.7071067811865476);
            double want = double.IsFinite(x[i]) ? cdf + (x[i] * phi) : default(GeluDerivativeFunction).Invoke(x[i]);
            if (!double.IsFinite(want))
            {
                actual[i].Should().Be((float)want, "x = {0}", x[i]);
                continue;
            }

            double scale = cdf + Math.Abs(x[i] * phi);
            Math.Abs(actual[i] - want).Should().BeLessThanOrEqualTo(3 * Math.ScaleB(1.0, Math.Max(Math.ILogB(scale), -126) - 23), "x = {0}", x[i]);
        }
    }
}
