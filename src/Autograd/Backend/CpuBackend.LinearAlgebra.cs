using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

/// <summary>Matrix products on the CPU: the packed GEMMs read strided and transposed operands in place.</summary>
internal sealed partial class CpuBackend
{
    /// <inheritdoc/>
    /// <remarks>Transposed views are read in place by the kernel, never copied.</remarks>
    public Tensor MatMul(Tensor a, Tensor b, int[] batch, int[] shape, int m, int k, int n)
    {
        if (a._dtype != DType.Float32 || b._dtype != DType.Float32)
        {
            return MatMulTyped(a, b, batch, shape, m, k, n);
        }

        float[] result = BufferPool.RentUninitialized(Shape.ElementCountOf(shape));
        if (batch.Length == 0 && a.Rank == 2 && b.Rank == 2 && MultiplyRepeated(a, b, m, k, n, result))
        {
            return new Tensor(result, shape);
        }

        var left = MatrixOperand.Of(a, m, k, vectorIsRow: true, batch);
        var right = MatrixOperand.Of(b, k, n, vectorIsRow: false, batch);
        int batchCount = Shape.ElementCountOf(batch);
        if (batch.Length == 1 && m * n > 0)
        {
            // One batch dimension: equal strides between products, so the kernel's batched entry can spread many
            // small products over threads (each product computed exactly as on one thread).
            Gemm.MultiplyBatched(
                left.Data.AsSpan(left.Offset), left.LeadingDimension, left.Transposed,
                right.Data.AsSpan(right.Offset), right.LeadingDimension, right.Transposed,
                result, n, m, n, k, accumulate: false,
                batchCount, left.BatchStrides.Length > 0 ? left.BatchStrides[0] : 0, right.BatchStrides.Length > 0 ? right.BatchStrides[0] : 0, m * n);
            batchCount = 0;
        }

        for (int i = 0; i < batchCount && m * n > 0; i++)
        {
            Gemm.Multiply(
                left.Data.AsSpan(left.OffsetOf(i, batch)), left.LeadingDimension, left.Transposed,
                right.Data.AsSpan(right.OffsetOf(i, batch)), right.LeadingDimension, right.Transposed,
                result.AsSpan(i * m * n, m * n), n, m, n, k, accumulate: false);
        }

        return new Tensor(result, shape);
    }


    /// <summary>
    /// MatMul for dtypes other than float32, with PyTorch 1.13's CPU rules: both operands of one dtype (matmul does not
    /// promote); float64, int64 and int32 computed in their own type; bfloat16 in float32, rounded once; float16 and
    /// bool refused.
    /// </summary>
    private Tensor MatMulTyped(Tensor a, Tensor b, int[] batch, int[] shape, int m, int k, int n)
    {
        if (a.Rank == 1 && b.Rank == 1)
        {
            return Dot(a, b);
        }

        if (a._dtype != b._dtype)
        {
            throw new InvalidOperationException($"expected scalar type {a._dtype.ScalarTypeName()} but found {b._dtype.ScalarTypeName()}");
        }

        return a._dtype switch
        {
            DType.Float64 => MatMulGeneric<double>(a, b, batch, shape, m, k, n),
            DType.Int64 => MatMulGeneric<long>(a, b, batch, shape, m, k, n),
            DType.Int32 => MatMulGeneric<int>(a, b, batch, shape, m, k, n),
            DType.BFloat16 => Tensor.MatMul(a.ConvertedTo(DType.Float32), b.ConvertedTo(DType.Float32)).ConvertedTo(DType.BFloat16),
            _ => throw Tensor.NotImplementedFor(a._dtype, "addmm_impl_cpu_"),
        };
    }

    /// <summary>
    /// The operands broadcast to [batch…, m, k] and [batch…, k, n] contiguous copies (vectors as a row and a column),
    /// then one GEMM per batch entry.
    /// </summary>
    private static Tensor MatMulGeneric<T>(Tensor a, Tensor b, int[] batch, int[] shape, int m, int k, int n)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        Tensor left = a.Rank == 1 ? a.Detach().Reshape(1, k) : a;
        Tensor right = b.Rank == 1 ? b.Detach().Reshape(k, 1) : b;
        T[] x = TypedElementwise.Operand<T>(left, a._dtype, [.. batch, m, k]);
        T[] y = TypedElementwise.Operand<T>(right, a._dtype, [.. batch, k, n]);
        int batchCount = Shape.ElementCountOf(batch);
        var result = new T[batchCount * m * n];
        if (typeof(T) == typeof(double))
        {
            // The packed float64 GEMM (0.45–0.50 of the float32 GFLOP/s, benchmarks/GEMM.md), all batch entries at once.
            Gemm64.MultiplyBatched(
                (double[])(object)x, Math.Max(k, 1), false, (double[])(object)y, Math.Max(n, 1), false,
                (double[])(object)result, Math.Max(n, 1), m, n, k, accumulate: false, batchCount, m * k, k * n, m * n);
        }
        else
        {
            for (int i = 0; i < batchCount && m * n > 0; i++)
            {
                // Integer products: the plain in-order kernel (exact, no vector FMA for integers).
                DoubleMatMul.Multiply<T>(x.AsSpan(i * m * k), Math.Max(k, 1), false, y.AsSpan(i * k * n), Math.Max(n, 1), false, result.AsSpan(i * m * n, m * n), n, m, n, k, accumulate: false);
            }
        }

        return new Tensor(result, a._dtype, shape);
    }

    /// <summary>
    /// <c>target += a·b</c> for 2-d <paramref name="a"/> [m, k], <paramref name="b"/> [k, n] and a contiguous
    /// <paramref name="target"/> [m, n], through a GEMM that accumulates (see <see cref="GradAccumulation"/>). Returns
    /// false, doing nothing, for operands that repeat a row or column (those take <see cref="MultiplyRepeated"/>).
    /// </summary>
    public bool MatMulAccumulate(Tensor a, Tensor b, Tensor target)
    {
        int m = a._shape[0], k = a._shape[1], n = b._shape[1];
        if (a._dtype != DType.Float32 || b._dtype != DType.Float32 || target._dtype != DType.Float32)
        {
            return false;   // the float32 GEMM only; other dtypes take the product and the engine's sum
        }

        if (b._shape[0] != k || !target.IsContiguous || target._shape[0] != m || target._shape[1] != n
            || target.Data == a.Data || target.Data == b.Data
            || (a._strides is { } aStrides && (aStrides[0] == 0 || aStrides[1] == 0))
            || (b._strides is { } bStrides && (bStrides[0] == 0 || bStrides[1] == 0)))
        {
            return false;
        }

        if (m * n == 0)
        {
            return true;
        }

        var left = MatrixOperand.Of(a, m, k, vectorIsRow: true, Shape.ScalarDims);
        var right = MatrixOperand.Of(b, k, n, vectorIsRow: false, Shape.ScalarDims);
        Gemm.Multiply(
            left.Data.AsSpan(left.Offset), left.LeadingDimension, left.Transposed,
            right.Data.AsSpan(right.Offset), right.LeadingDimension, right.Transposed,
            target.AsSpan(), n, m, n, k, accumulate: true);
        return true;
    }

    /// <summary>
    /// A·B when A repeats one row (row stride 0) or B repeats one column (column stride 0), as expanded gradients do
    /// (the gradient of <c>sum(A·B)</c> is ones expanded to A·B's shape). Then every row (column) of the product is the
    /// same, so one 1×k·k×n (m×k·k×1) product and copies replace the m×k×n product: O(kn + mn) instead of O(mkn).
    /// Returns false, doing nothing, for any other operands.
    /// </summary>
    private static bool MultiplyRepeated(Tensor a, Tensor b, int m, int k, int n, float[] result)
    {
        if (m > 1 && a._strides is { } aStrides && aStrides[0] == 0)
        {
            Tensor row = new Tensor(a.Data, a._offset, [1, k], [Math.Max(k, 1), aStrides[1]]).CloneData();
            var right = MatrixOperand.Of(b, k, n, vectorIsRow: false, Shape.ScalarDims);
            Gemm.Multiply(row.Data, Math.Max(k, 1), false, right.Data.AsSpan(right.Offset), right.LeadingDimension, right.Transposed, result, n, 1, n, k, accumulate: false);
            for (int i = 1; i < m; i++)
            {
                result.AsSpan(0, n).CopyTo(result.AsSpan(i * n, n));
            }

            return true;
        }

        if (n > 1 && b._strides is { } bStrides && bStrides[1] == 0)
        {
            Tensor column = new Tensor(b.Data, b._offset, [k, 1], [bStrides[0], 1]).CloneData();
            var left = MatrixOperand.Of(a, m, k, vectorIsRow: true, Shape.ScalarDims);
            float[] product = new float[m];
            Gemm.Multiply(left.Data.AsSpan(left.Offset), left.LeadingDimension, left.Transposed, column.Data, 1, false, product, 1, m, 1, k, accumulate: false);
            for (int i = 0; i < m; i++)
            {
                result.AsSpan(i * n, n).Fill(product[i]);
            }

            return true;
        }

        return false;
    }

    /// <summary>How the GEMM kernel reads one operand in place: storage, leading dimension, transposition, batch strides.</summary>
    private readonly record struct MatrixOperand(Tensor Owner, float[] Data, int Offset, int LeadingDimension, bool Transposed, int[] BatchStrides)
    {
        internal static MatrixOperand Of(Tensor t, int rows, int columns, bool vectorIsRow, int[] batch)
        {
            if (t._strides is null && t.Rank <= 2)
            {
                // Contiguous: a row vector, a column vector or a row-major matrix, read as it is.
                return new MatrixOperand(t, t.Data, t._offset, t.Rank == 1 && !vectorIsRow ? 1 : Math.Max(columns, 1), false, []);
            }

            int[] strides = t._strides ?? Shape.ContiguousStrides(t._shape);
            if (t.Rank == 1)
            {
                // An expanded vector (stride 0) repeats one stored element; GEMM leading dimensions must be positive.
                if (strides[0] == 0 && t._count > 1)
                {
                    return Of(t.CloneData(), rows, columns, vectorIsRow, batch);
                }

                // A strided vector read as a 1×k row is a transposed k×1 column with leading dimension = stride.
                int stride = Math.Max(strides[0], 1);
                return new MatrixOperand(t, t.Data, t._offset, stride, vectorIsRow && t._count > 1, []);
            }

            int rowStride = strides[^2], columnStride = strides[^1];
            int[] batchStrides = Broadcasting.ExpandedStrides(t._shape.AsSpan(0, t.Rank - 2), strides.AsSpan(0, t.Rank - 2), batch);
            if (columnStride == 1 && (rowStride >= columns || rows <= 1))
            {
                return new MatrixOperand(t, t.Data, t._offset, Math.Max(rows <= 1 ? columns : rowStride, 1), false, batchStrides);
            }

            if (rowStride == 1 && (columnStride >= rows || columns <= 1))
            {
                return new MatrixOperand(t, t.Data, t._offset, Math.Max(columns <= 1 ? rows : columnStride, 1), true, batchStrides);
            }

            Tensor copy = t.CloneData();
            return Of(copy, rows, columns, vectorIsRow, batch);
        }

        internal int OffsetOf(int batchIndex, int[] batch)
        {
            int offset = Offset;
            for (int d = batch.Length - 1; d >= 0 && BatchStrides.Length > 0; d--)
            {
                offset += batchIndex % batch[d] * BatchStrides[d];
                batchIndex /= batch[d];
            }

            return offset;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Row i is v scaled by uᵢ.</remarks>
    public Tensor Outer(Tensor u, Tensor v)
    {
        ReadOnlySpan<float> left = u.ContiguousData(), right = v.ContiguousData();
        float[] result = BufferPool.RentUninitialized(left.Length * right.Length);
        for (int i = 0; i < left.Length; i++)
        {
            TensorPrimitives.Multiply(right, left[i], result.AsSpan(i * right.Length, right.Length));
        }

        return new Tensor(result, [left.Length, right.Length]);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Other dtypes with PyTorch's rules: both operands of one dtype (no promotion); float64 and integers in their own
    /// type, bfloat16 in float32 rounded once; float16 and bool refused, as PyTorch's CPU refuses them.
    /// </remarks>
    public Tensor Dot(Tensor a, Tensor b)
    {
        if (a._dtype == DType.Float32 && b._dtype == DType.Float32)
        {
            return new Tensor([TensorPrimitives.Dot(a.ContiguousData(), b.ContiguousData())], Shape.ScalarDims);
        }

        if (a._dtype != b._dtype)
        {
            throw new InvalidOperationException(
                $"dot : expected both vectors to have same dtype, but found {a._dtype.ScalarTypeName()} and {b._dtype.ScalarTypeName()}");
        }

        switch (a._dtype)
        {
            case DType.Float64:
                return Tensor.Scalar(TensorPrimitives.Dot<double>(TypedElementwise.Operand<double>(a, DType.Float64, a._shape), TypedElementwise.Operand<double>(b, DType.Float64, b._shape)), DType.Float64);
            case DType.Int64:
                return new Tensor(new[] { TensorPrimitives.Dot<long>(TypedElementwise.Operand<long>(a, DType.Int64, a._shape), TypedElementwise.Operand<long>(b, DType.Int64, b._shape)) }, DType.Int64, Shape.ScalarDims);
            case DType.Int32:
                return new Tensor(new[] { TensorPrimitives.Dot<int>(TypedElementwise.Operand<int>(a, DType.Int32, a._shape), TypedElementwise.Operand<int>(b, DType.Int32, b._shape)) }, DType.Int32, Shape.ScalarDims);
            case DType.BFloat16:
                return Dot(a.ConvertedTo(DType.Float32), b.ConvertedTo(DType.Float32)).ConvertedTo(DType.BFloat16);
            default:
                throw Tensor.NotImplementedFor(a._dtype, "dot");
        }
    }

    /// <inheritdoc/>
    /// <remarks>The bias rows seed the output and the GEMM accumulates onto them, reading W transposed in place.</remarks>
    public Tensor Addmm(Tensor input, Tensor weight, Tensor bias)
    {
        int rows = input._shape[0], inFeatures = input._shape[1], outFeatures = weight._shape[0];
        float[] result = BufferPool.RentUninitialized(rows * outFeatures);
        ReadOnlySpan<float> biasValues = bias.ContiguousData();
        for (int r = 0; r < rows; r++)
        {
            biasValues.CopyTo(result.AsSpan(r * outFeatures, outFeatures));
        }

        ReadOnlySpan<float> x = input.ContiguousData();
        Gemm.Multiply(x, inFeatures, false, weight.AsReadOnlySpan(), inFeatures, true, result, outFeatures, rows, outFeatures, inFeatures, accumulate: true);
        return new Tensor(result, [rows, outFeatures]);
    }
}
