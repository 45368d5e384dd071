using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// A float kernel computed in double: the float lanes are widened, the double formula applied, and the result rounded
/// once to float. When <see cref="HasSpecials"/>, lanes holding ±∞ or NaN take <see cref="Scalar"/> instead, so
/// special values are exactly those of the scalar formula.
/// </summary>
internal interface IWidenedUnary
{
    /// <summary>Whether non-finite inputs must take <see cref="Scalar"/>.</summary>
    bool HasSpecials { get; }

    /// <summary>The scalar double formula.</summary>
    double Scalar(double x);

    Vector128<double> Invoke(Vector128<double> x);

    Vector256<double> Invoke(Vector256<double> x);

    Vector512<double> Invoke(Vector512<double> x);
}

/// <summary>A fused backward kernel g·f′(x) computed in double, as <see cref="IWidenedUnary"/> (specials by x).</summary>
internal interface IWidenedBinary
{
    /// <summary>Whether lanes with non-finite x must take <see cref="Scalar"/>.</summary>
    bool HasSpecials { get; }

    /// <summary>The scalar double formula.</summary>
    double Scalar(double g, double x);

    Vector128<double> Invoke(Vector128<double> g, Vector128<double> x);

    Vector256<double> Invoke(Vector256<double> g, Vector256<double> x);

    Vector512<double> Invoke(Vector512<double> g, Vector512<double> x);
}

/// <summary>The drivers of the widened kernels (same loop structure and masked tail as <see cref="VectorMath.Map{TOperator}(ReadOnlySpan{float}, Span{float})"/>).</summary>
internal static class WidenedMap
{
    /// <summary>destination[i] = (float)kernel(x[i]); x and destination may be the same span.</summary>
    internal static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, Span<float> destination)
        where TKernel : struct, IWidenedUnary
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
                Apply(kernel, Vector512.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector512<float> mask = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Vector512<float>.Count - (int)(length - i))).AsSingle();
                Vector512<float> result = Apply(kernel, Vector512.LoadUnsafe(ref xRef, last));
                Vector512.ConditionalSelect(mask, result, Vector512.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }


        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            for (; i <= length - width; i += width)
            {
                Apply(kernel, Vector256.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector256<float> mask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Vector256<float>.Count - (int)(length - i))).AsSingle();
                Vector256<float> result = Apply(kernel, Vector256.LoadUnsafe(ref xRef, last));
                Vector256.ConditionalSelect(mask, result, Vector256.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }


        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint width = (nuint)Vector128<float>.Count;
            for (; i <= length - width; i += width)
            {
                Apply(kernel, Vector128.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector128<float> mask = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Vector128<float>.Count - (int)(length - i))).AsSingle();
                Vector128<float> result = Apply(kernel, Vector128.LoadUnsafe(ref xRef, last));
                Vector128.ConditionalSelect(mask, result, Vector128.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            // Fewer than four elements: one zero-padded vector, so every length gives the vector lanes' values.
            Span<float> buffer = stackalloc float[Vector128<float>.Count];
            buffer.Clear();
            x.CopyTo(buffer);
            Apply(kernel, Vector128.Create<float>(buffer)).CopyTo(buffer);
            buffer[..x.Length].CopyTo(destination);
            return;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = (float)kernel.Scalar(Unsafe.Add(ref xRef, i));
        }
    }

    /// <summary>destination[i] = (float)kernel(g[i], x[i]); g, x and destination have equal lengths (destination may be g or x).</summary>
    internal static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> destination)
        where TKernel : struct, IWidenedBinary
    {
        if (x.Length != g.Length || x.Length > destination.Length)
        {
            throw new ArgumentException("Inputs and destination must have the same length.", nameof(destination));
        }

        ref float gRef = ref MemoryMarshal.GetReference(g);
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            nuint width = (nuint)Vector512<float>.Count;
            for (; i <= length - width; i += width)
            {
                Apply(kernel, Vector512.LoadUnsafe(ref gRef, i), Vector512.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector512<float> mask = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Vector512<float>.Count - (int)(length - i))).AsSingle();
                Vector512<float> result = Apply(kernel, Vector512.LoadUnsafe(ref gRef, last), Vector512.LoadUnsafe(ref xRef, last));
                Vector512.ConditionalSelect(mask, result, Vector512.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }


        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            for (; i <= length - width; i += width)
            {
                Apply(kernel, Vector256.LoadUnsafe(ref gRef, i), Vector256.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector256<float> mask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Vector256<float>.Count - (int)(length - i))).AsSingle();
                Vector256<float> result = Apply(kernel, Vector256.LoadUnsafe(ref gRef, last), Vector256.LoadUnsafe(ref xRef, last));
                Vector256.ConditionalSelect(mask, result, Vector256.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }


        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint width = (nuint)Vector128<float>.Count;
            for (; i <= length - width; i += width)
            {
                Apply(kernel, Vector128.LoadUnsafe(ref gRef, i), Vector128.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref dRef, i);
            }

            if (i < length)
            {
                nuint last = length - width;
                Vector128<float> mask = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Vector128<float>.Count - (int)(length - i))).AsSingle();
                Vector128<float> result = Apply(kernel, Vector128.LoadUnsafe(ref gRef, last), Vector128.LoadUnsafe(ref xRef, last));
                Vector128.ConditionalSelect(mask, result, Vector128.LoadUnsafe(ref dRef, last)).StoreUnsafe(ref dRef, last);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Span<float> gBuffer = stackalloc float[Vector128<float>.Count];
            Span<float> xBuffer = stackalloc float[Vector128<float>.Count];
            gBuffer.Clear();
            xBuffer.Clear();
            g.CopyTo(gBuffer);
            x.CopyTo(xBuffer);
            Apply(kernel, Vector128.Create<float>(gBuffer), Vector128.Create<float>(xBuffer)).CopyTo(xBuffer);
            xBuffer[..x.Length].CopyTo(destination);
            return;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = (float)kernel.Scalar(Unsafe.Add(ref gRef, i), Unsafe.Add(ref xRef, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Apply<TKernel>(TKernel kernel, Vector128<float> x)
        where TKernel : struct, IWidenedUnary
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(kernel.Invoke(lower), kernel.Invoke(upper));
        return kernel.HasSpecials && !Vector128.LessThanAll(Vector128.Abs(x), Vector128.Create(float.PositiveInfinity)) ? FixSpecials(kernel, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Apply<TKernel>(TKernel kernel, Vector128<float> g, Vector128<float> x)
        where TKernel : struct, IWidenedBinary
    {
        (Vector128<double> gLower, Vector128<double> gUpper) = Vector128.Widen(g);
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(kernel.Invoke(gLower, lower), kernel.Invoke(gUpper, upper));
        return kernel.HasSpecials && !Vector128.LessThanAll(Vector128.Abs(x), Vector128.Create(float.PositiveInfinity)) ? FixSpecials(kernel, g, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> FixSpecials<TKernel>(TKernel kernel, Vector128<float> x, Vector128<float> result)
        where TKernel : struct, IWidenedUnary
    {
        Span<float> lanes = stackalloc float[Vector128<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(value);
        }

        return Vector128.Create<float>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> FixSpecials<TKernel>(TKernel kernel, Vector128<float> g, Vector128<float> x, Vector128<float> result)
        where TKernel : struct, IWidenedBinary
    {
        Span<float> lanes = stackalloc float[Vector128<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(g.GetElement(i), value);
        }

        return Vector128.Create<float>(lanes);
    }


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Apply<TKernel>(TKernel kernel, Vector256<float> x)
        where TKernel : struct, IWidenedUnary
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(kernel.Invoke(lower), kernel.Invoke(upper));
        return kernel.HasSpecials && !Vector256.LessThanAll(Vector256.Abs(x), Vector256.Create(float.PositiveInfinity)) ? FixSpecials(kernel, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Apply<TKernel>(TKernel kernel, Vector256<float> g, Vector256<float> x)
        where TKernel : struct, IWidenedBinary
    {
        (Vector256<double> gLower, Vector256<double> gUpper) = Vector256.Widen(g);
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(kernel.Invoke(gLower, lower), kernel.Invoke(gUpper, upper));
        return kernel.HasSpecials && !Vector256.LessThanAll(Vector256.Abs(x), Vector256.Create(float.PositiveInfinity)) ? FixSpecials(kernel, g, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> FixSpecials<TKernel>(TKernel kernel, Vector256<float> x, Vector256<float> result)
        where TKernel : struct, IWidenedUnary
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(value);
        }

        return Vector256.Create<float>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> FixSpecials<TKernel>(TKernel kernel, Vector256<float> g, Vector256<float> x, Vector256<float> result)
        where TKernel : struct, IWidenedBinary
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(g.GetElement(i), value);
        }

        return Vector256.Create<float>(lanes);
    }


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Apply<TKernel>(TKernel kernel, Vector512<float> x)
        where TKernel : struct, IWidenedUnary
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(kernel.Invoke(lower), kernel.Invoke(upper));
        return kernel.HasSpecials && !Vector512.LessThanAll(Vector512.Abs(x), Vector512.Create(float.PositiveInfinity)) ? FixSpecials(kernel, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Apply<TKernel>(TKernel kernel, Vector512<float> g, Vector512<float> x)
        where TKernel : struct, IWidenedBinary
    {
        (Vector512<double> gLower, Vector512<double> gUpper) = Vector512.Widen(g);
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(kernel.Invoke(gLower, lower), kernel.Invoke(gUpper, upper));
        return kernel.HasSpecials && !Vector512.LessThanAll(Vector512.Abs(x), Vector512.Create(float.PositiveInfinity)) ? FixSpecials(kernel, g, x, result) : result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> FixSpecials<TKernel>(TKernel kernel, Vector512<float> x, Vector512<float> result)
        where TKernel : struct, IWidenedUnary
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(value);
        }

        return Vector512.Create<float>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> FixSpecials<TKernel>(TKernel kernel, Vector512<float> g, Vector512<float> x, Vector512<float> result)
        where TKernel : struct, IWidenedBinary
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        result.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            float value = x.GetElement(i);
            lanes[i] = float.IsFinite(value) ? lanes[i] : (float)kernel.Scalar(g.GetElement(i), value);
        }

        return Vector512.Create<float>(lanes);
    }
}
