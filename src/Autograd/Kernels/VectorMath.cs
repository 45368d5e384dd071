using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// A unary element-wise operator in the shape of TensorPrimitives' operator structs: one scalar and three vector
/// paths. The scalar path must agree with the vector paths within the operator's stated ulp bound.
/// </summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);

    static abstract Vector128<float> Invoke(Vector128<float> x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>
/// A binary element-wise operator with one broadcast scalar parameter <c>s</c>: <c>f(x, y, s)</c>. The fused
/// backward kernels are written in this shape (x and y are two saved or incoming tensors, s a reduction scale).
/// </summary>
internal interface IBinaryScalarOperator
{
    static abstract float Invoke(float x, float y, float s);

    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> s);

    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> s);

    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> s);
}

/// <summary>
/// Our own vectorized float functions (Exp, Log, Sigmoid, Tanh, Sin, Cos) and the one driver loop that applies an
/// operator over spans.
/// </summary>
/// <remarks>
/// Why not only <c>TensorPrimitives</c>: on AVX-512 hardware it takes its 256-bit paths unless the host sets
/// <c>DOTNET_PreferredVectorBitWidth=512</c>, which a library cannot rely on; and its vector <c>Exp(0)</c> is
/// 1.0000001f, where PyTorch gives exactly 1. Which op uses which implementation is decided by the measurements in
/// <c>benchmarks/VECTOR_MATH.md</c>.
/// <para>
/// The driver uses the widest accelerated vector the span fills: Vector512, else Vector256, else Vector128, else
/// scalar. The remainder is one more full vector ending at the span's end whose already-written lanes are masked
/// back to the destination's contents, so the kernels are also correct in place (destination == source).
/// </para>
/// </remarks>
internal static partial class VectorMath
{
    /// <summary>destination[i] = TOperator(x[i]). x and destination may be the same span, but must not overlap otherwise.</summary>
    internal static void Map<TOperator>(ReadOnlySpan<float> x, Span<float> destination)
        where TOperator : IUnaryOperator
    {
        if (x.Length > destination.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            nuint width = (nuint)Vector512<float>.Count;
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector512<float> mask = TailMask512(length - i);
                Vector512<float> result = TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, last));
                Vector512.ConditionalSelect(mask, result, Vector512.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector256<float> mask = TailMask256(length - i);
                Vector256<float> result = TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, last));
                Vector256.ConditionalSelect(mask, result, Vector256.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint width = (nuint)Vector128<float>.Count;
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector128<float> mask = TailMask128(length - i);
                Vector128<float> result = TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, last));
                Vector128.ConditionalSelect(mask, result, Vector128.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = TOperator.Invoke(Unsafe.Add(ref xRef, i));
        }
    }

    /// <summary>
    /// destination[i] = TOperator(x[i], y[i], s). x, y and destination have equal lengths; destination may be x or y,
    /// but must not overlap them otherwise.
    /// </summary>
    internal static void Map<TOperator>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float s, Span<float> destination)
        where TOperator : IBinaryScalarOperator
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Inputs must have the same length.", nameof(y));
        }

        if (x.Length > destination.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        ref float dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            nuint width = (nuint)Vector512<float>.Count;
            Vector512<float> sv = Vector512.Create(s);
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i), sv).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector512<float> mask = TailMask512(length - i);
                Vector512<float> result = TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, last), Vector512.LoadUnsafe(ref yRef, last), sv);
                Vector512.ConditionalSelect(mask, result, Vector512.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            Vector256<float> sv = Vector256.Create(s);
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i), sv).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector256<float> mask = TailMask256(length - i);
                Vector256<float> result = TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, last), Vector256.LoadUnsafe(ref yRef, last), sv);
                Vector256.ConditionalSelect(mask, result, Vector256.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint width = (nuint)Vector128<float>.Count;
            Vector128<float> sv = Vector128.Create(s);
            for (; i <= length - width; i += width)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i), sv).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector128<float> mask = TailMask128(length - i);
                Vector128<float> result = TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, last), Vector128.LoadUnsafe(ref yRef, last), sv);
                Vector128.ConditionalSelect(mask, result, Vector128.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = TOperator.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i), s);
        }
    }

    /// <summary>destination = eˣ (exp(0) is exactly 1).</summary>
    internal static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Map<ExpOperator>(x, destination);

    /// <summary>destination = ln x.</summary>
    internal static void Log(ReadOnlySpan<float> x, Span<float> destination) => Map<LogOperator>(x, destination);

    /// <summary>destination = σ(x) = 1 / (1 + e⁻ˣ).</summary>
    internal static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => Map<SigmoidOperator>(x, destination);

    /// <summary>destination = x·Φ(x), exact GELU (see <see cref="GeluOperator"/>).</summary>
    internal static void Gelu(ReadOnlySpan<float> x, Span<float> destination) => Map<GeluOperator>(x, destination);

    /// <summary>destination = Φ(x) + x·φ(x), GELU's derivative.</summary>
    internal static void GeluDerivative(ReadOnlySpan<float> x, Span<float> destination) => Map<GeluDerivativeOperator>(x, destination);

    /// <summary>destination = tanh x.</summary>
    internal static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => Map<TanhOperator>(x, destination);

    /// <summary>destination = sin x.</summary>
    internal static void Sin(ReadOnlySpan<float> x, Span<float> destination) => Map<SinOperator>(x, destination);

    /// <summary>destination = cos x.</summary>
    internal static void Cos(ReadOnlySpan<float> x, Span<float> destination) => Map<CosOperator>(x, destination);

    /// <summary>All-ones in the last <paramref name="count"/> lanes (0 &lt; count &lt; 16), zero elsewhere.</summary>
    private static Vector512<float> TailMask512(nuint count) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Vector512<float>.Count - (int)count)).AsSingle();

    private static Vector256<float> TailMask256(nuint count) =>
        Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Vector256<float>.Count - (int)count)).AsSingle();

    private static Vector128<float> TailMask128(nuint count) =>
        Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Vector128<float>.Count - (int)count)).AsSingle();
}
