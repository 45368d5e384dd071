namespace Autograd.Kernels;

/// <summary>Tensor-level dispatch of the <see cref="ActivationKernels"/> with PyTorch 1.13's CPU dtype rules.</summary>
internal static class ActivationMap
{
    /// <summary>
    /// <paramref name="f"/> element-wise on a floating tensor: float32 and float64 directly, bfloat16 through float32
    /// rounded once; float16, integers and bools refused with PyTorch's kernel name (activations do not promote).
    /// </summary>
    internal static Tensor Floating<T>(Tensor x, T f, string kernel)
        where T : struct, IPointwise => x._dtype switch
        {
            DType.Float32 => Elementwise.Map(x, ActivationKernels.Float32(f)),
            DType.Float64 => TypedUnary.Map64(x, ActivationKernels.Float64(f)),
            DType.BFloat16 => Elementwise.Map(x.ConvertedTo(DType.Float32), ActivationKernels.Float32(f)).ConvertedTo(DType.BFloat16),
            _ => throw Tensor.NotImplementedFor(x._dtype, kernel),
        };

    /// <summary>
    /// As <see cref="Floating{T}(Tensor, T, string)"/>, with float32 (and bfloat16 through float32) computed by the
    /// vectorized double-precision <paramref name="vector"/> instead of the per-element scalar formula.
    /// </summary>
    internal static Tensor Floating<T, TKernel>(Tensor x, T f, TKernel vector, string kernel)
        where T : struct, IPointwise
        where TKernel : struct, IWidenedUnary => x._dtype switch
        {
            DType.Float32 => Elementwise.Map(x, (s, d) => WidenedMap.Map(vector, s, d)),
            DType.BFloat16 => Elementwise.Map(x.ConvertedTo(DType.Float32), (s, d) => WidenedMap.Map(vector, s, d)).ConvertedTo(DType.BFloat16),
            _ => Floating(x, f, kernel),
        };

    /// <summary>
    /// A fused backward g·f′(x) in one pass for float32 <paramref name="grad"/> and <paramref name="x"/> of one shape
    /// (the caller checks <see cref="Elementwise.CanFuse"/>).
    /// </summary>
    internal static Tensor Fused<TKernel>(Tensor grad, Tensor x, TKernel backward)
        where TKernel : struct, IWidenedBinary => Elementwise.Map(grad, x, (g, s, d) => WidenedMap.Map(backward, g, s, d));

    /// <summary>
    /// clamp(x, low, high) as PyTorch's hardtanh: floating dtypes as <see cref="Floating{T}(Tensor, T, string)"/>, integers keep their dtype
    /// with the bounds truncated to it, bools refused.
    /// </summary>
    internal static Tensor Clamp(Tensor x, double low, double high)
    {
        switch (x._dtype)
        {
            case DType.Int64:
                return ClampInteger(x, (long)low, (long)high);
            case DType.Int32:
                return ClampInteger(x, (int)low, (int)high);
            case DType.Bool:
                throw new InvalidOperationException("Bool inputs not supported for hardtanh");
            default:
                return Floating(x, new ClampFunction(low, high), "clamp_scalar_cpu");
        }
    }

    private static Tensor ClampInteger<T>(Tensor x, T low, T high)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        T[] source = TypedElementwise.Operand<T>(x, x._dtype, x._shape);
        var result = new T[source.Length];
        ActivationKernels.ClampInteger<T>(source, low, high, result);
        return new Tensor(result, x._dtype, x._shape);
    }
}
