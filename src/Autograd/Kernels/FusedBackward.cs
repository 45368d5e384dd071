using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// Fused backward kernels: each gradient formula in one pass over its inputs, instead of one temporary tensor per
/// operation. Every operator performs the same float operations in the same order as the tensor formula in its
/// backward node (no contraction into FMA unless stated), so both paths give the same values; the tests check this.
/// </summary>
internal static class FusedBackward
{
    /// <summary>destination = g·s·(1 − s), s = σ(x) saved: (g·s)·(1 − s), as <c>grad * s * (1f - s)</c>.</summary>
    internal static void Sigmoid(ReadOnlySpan<float> grad, ReadOnlySpan<float> output, Span<float> destination) =>
        VectorMath.Map<SigmoidBackwardOperator>(grad, output, 0f, destination);

    /// <summary>destination = g·(1 − t²), t = tanh x saved.</summary>
    internal static void Tanh(ReadOnlySpan<float> grad, ReadOnlySpan<float> output, Span<float> destination) =>
        VectorMath.Map<TanhBackwardOperator>(grad, output, 0f, destination);

    /// <summary>destination = g·[out &gt; 0] (a product, so g = ±∞ or NaN behaves as in the formula).</summary>
    internal static void Relu(ReadOnlySpan<float> grad, ReadOnlySpan<float> output, Span<float> destination) =>
        VectorMath.Map<ReluBackwardOperator>(grad, output, 0f, destination);

    /// <summary>destination = g·cos x.</summary>
    internal static void Sin(ReadOnlySpan<float> grad, ReadOnlySpan<float> x, Span<float> destination) =>
        VectorMath.Map<SinBackwardOperator>(grad, x, 0f, destination);

    /// <summary>destination = −(g·sin x).</summary>
    internal static void Cos(ReadOnlySpan<float> grad, ReadOnlySpan<float> x, Span<float> destination) =>
        VectorMath.Map<CosBackwardOperator>(grad, x, 0f, destination);

    /// <summary>destination = (σ(x) − y)·scale: the BCE-with-logits input gradient.</summary>
    internal static void BinaryCrossEntropyWithLogits(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float scale, Span<float> destination) =>
        VectorMath.Map<BceWithLogitsBackwardOperator>(x, y, scale, destination);

    /// <summary>destination = g − e^y·total: a log-softmax row's gradient from its saved output y and Σ g.</summary>
    internal static void LogSoftmaxRow(ReadOnlySpan<float> output, ReadOnlySpan<float> grad, float total, Span<float> destination) =>
        VectorMath.Map<LogSoftmaxBackwardOperator>(output, grad, total, destination);

    /// <summary>destination = e^logP·scale: a cross-entropy row's gradient before the target's −scale.</summary>
    internal static void ExpScale(ReadOnlySpan<float> logP, float scale, Span<float> destination) =>
        VectorMath.Map<ExpScaleOperator>(logP, logP, scale, destination);

    /// <summary>destination = a·s + c with a single rounding (fused multiply-add), s broadcast.</summary>
    internal static void MultiplyAdd(ReadOnlySpan<float> a, float s, ReadOnlySpan<float> c, Span<float> destination) =>
        VectorMath.Map<MultiplyAddOperator>(a, c, s, destination);
}

/// <summary>(x·y)·(1 − y): g = x, σ = y.</summary>
internal readonly struct SigmoidBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => x * y * (1f - y);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => x * y * (Vector128<float>.One - y);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => x * y * (Vector256<float>.One - y);

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => x * y * (Vector512<float>.One - y);
}

/// <summary>x·(1 − y·y): g = x, tanh = y.</summary>
internal readonly struct TanhBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => x * (1f - (y * y));

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => x * (Vector128<float>.One - (y * y));

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => x * (Vector256<float>.One - (y * y));

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => x * (Vector512<float>.One - (y * y));
}

/// <summary>x·[not (y ≤ 0)]: g = x, relu output = y; a NaN output passes the gradient, as PyTorch's threshold_backward.</summary>
internal readonly struct ReluBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => x * (y <= 0f ? 0f : 1f);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => x * Vector128.AndNot(Vector128<float>.One, Vector128.LessThanOrEqual(y, Vector128<float>.Zero));

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => x * Vector256.AndNot(Vector256<float>.One, Vector256.LessThanOrEqual(y, Vector256<float>.Zero));

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => x * Vector512.AndNot(Vector512<float>.One, Vector512.LessThanOrEqual(y, Vector512<float>.Zero));
}

/// <summary>x·cos y: g = x, input = y.</summary>
internal readonly struct SinBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => x * CosOperator.Invoke(y);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => x * CosOperator.Invoke(y);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => x * CosOperator.Invoke(y);

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => x * CosOperator.Invoke(y);
}

/// <summary>−(x·sin y): g = x, input = y.</summary>
internal readonly struct CosBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => -(x * SinOperator.Invoke(y));

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => -(x * SinOperator.Invoke(y));

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => -(x * SinOperator.Invoke(y));

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => -(x * SinOperator.Invoke(y));
}

/// <summary>(σ(x) − y)·s.</summary>
internal readonly struct BceWithLogitsBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => (SigmoidOperator.Invoke(x) - y) * s;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => (SigmoidOperator.Invoke(x) - y) * s;

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => (SigmoidOperator.Invoke(x) - y) * s;

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => (SigmoidOperator.Invoke(x) - y) * s;
}

/// <summary>y − eˣ·s: saved output x, g = y, s = Σ g.</summary>
internal readonly struct LogSoftmaxBackwardOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => y - (ExpOperator.Invoke(x) * s);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => y - (ExpOperator.Invoke(x) * s);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => y - (ExpOperator.Invoke(x) * s);

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => y - (ExpOperator.Invoke(x) * s);
}

/// <summary>eˣ·s (y is ignored).</summary>
internal readonly struct ExpScaleOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => ExpOperator.Invoke(x) * s;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => ExpOperator.Invoke(x) * s;

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => ExpOperator.Invoke(x) * s;

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => ExpOperator.Invoke(x) * s;
}

/// <summary>x·s + y, rounded once.</summary>
internal readonly struct MultiplyAddOperator : IBinaryScalarOperator
{
    public static float Invoke(float x, float y, float s) => MathF.FusedMultiplyAdd(x, s, y);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s) => Vector128.FusedMultiplyAdd(x, s, y);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s) => Vector256.FusedMultiplyAdd(x, s, y);

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s) => Vector512.FusedMultiplyAdd(x, s, y);
}
