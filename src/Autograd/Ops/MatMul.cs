namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's <c>matmul</c> rules: 1-d·1-d is the dot product, a 1-d left operand is a row
    /// vector and a 1-d right operand a column vector (the added dimension is removed from the result), and tensors
    /// of rank &gt; 2 are batches of matrices whose batch dimensions broadcast.
    /// Transposed views are read in place by the kernel, never copied.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {a.Rank}D and {b.Rank}D");
        }

        int m = a.Rank == 1 ? 1 : a._shape[^2];
        int k = a._shape[^1];
        int kb = b.Rank == 1 ? b._shape[0] : b._shape[^2];
        int n = b.Rank == 1 ? 1 : b._shape[^1];
        if (k != kb)
        {
            throw a.Rank == 1 && b.Rank == 1
                ? new ArgumentException($"inconsistent tensor size, expected tensor [{k}] and src [{kb}] to have the same number of elements, but got {k} and {kb} elements respectively")
                : new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {kb}x{n}); shapes {Autograd.Shape.Format(a._shape)} and {Autograd.Shape.Format(b._shape)}");
        }

        int[] batch = a.Rank <= 2 && b.Rank <= 2
            ? Autograd.Shape.ScalarDims
            : Broadcasting.Shapes(a.Rank > 2 ? a._shape[..^2] : Autograd.Shape.ScalarDims, b.Rank > 2 ? b._shape[..^2] : Autograd.Shape.ScalarDims);
        int[] shape = (a.Rank, b.Rank) switch
        {
            (1, 1) => Autograd.Shape.ScalarDims,
            (1, 2) => [n],
            (2, 1) => [m],
            (2, 2) => [m, n],
            _ => [.. batch, .. a.Rank == 1 ? [] : new[] { m }, .. b.Rank == 1 ? [] : new[] { n }],
        };

        Tensor output = SameDeviceBackend(a, b).MatMul(a, b, batch, shape, m, k, n);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new MatMulBackward(a, b)) : output;
    }

    /// <inheritdoc cref="MatMul(Tensor, Tensor)"/>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <summary><c>target += a·b</c> for 2-d operands through the backend's accumulating product (see <see cref="GradAccumulation"/>); false when it has none for them.</summary>
    internal static bool MatMulAccumulate(Tensor a, Tensor b, Tensor target) => SameDeviceBackend(a, b).MatMulAccumulate(a, b, target);
}

/// <summary>
/// <c>C = A·B</c>: ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G, with transposes as views the kernel reads in place.
/// Vector operands (PyTorch's matmul rules): a 1-d A of length k acts as a 1×k row, so ∂L/∂A = G·Bᵀ with G's
/// missing row restored; a 1-d B acts as a k×1 column, so ∂L/∂B = Aᵀ·G with G's missing column restored and
/// removed again. Both 1-d is the dot product: ∂L/∂A = g·B, ∂L/∂B = g·A. Broadcast batch dimensions are summed
/// by the engine.
/// </summary>
internal sealed class MatMulBackward : Node
{
    private SavedTensor _a;
    private SavedTensor _b;

    internal MatMulBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = a.RequiresGrad ? b : null;
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor? a = NeedsInputGrad(1) ? Saved(_a) : null;
        Tensor? b = NeedsInputGrad(0) ? Saved(_b) : null;
        bool aIsVector = Input0Rank == 1, bIsVector = Input1Rank == 1;
        if (aIsVector && bIsVector)
        {
            return [b is null ? null : grad * b, a is null ? null : grad * a];
        }

        // Vector times matrix without a graph to record: the matrix's gradient is an outer product, written directly.
        if (!GradMode.IsEnabled && Input0Rank + Input1Rank == 3 && grad._dtype == DType.Float32)
        {
            return aIsVector
                ? [b is null ? null : Tensor.MatMul(b, grad), a is null ? null : Outer(a, grad)]
                : [b is null ? null : Outer(grad, b), a is null ? null : Tensor.MatMul(grad, a)];
        }

        // Restore the dimensions that matmul removed for vector operands, so G is a (batch of) m×n matrices.
        Tensor g = aIsVector ? Unsqueeze(grad, -2) : grad;
        if (bIsVector)
        {
            g = Unsqueeze(g, -1);
        }

        Tensor? gradA = null, gradB = null;
        if (b is not null)
        {
            Tensor bMatrix = bIsVector ? b.Reshape(1, -1) : b.Transpose(-1, -2);
            gradA = (Input0Rank == 2 && Input1Rank == 2 ? Offers?.MatMulInto(0, g, bMatrix) : null) ?? Tensor.MatMul(g, bMatrix);
            if (aIsVector)
            {
                gradA = Squeeze(gradA, -2);
            }
        }

        if (a is not null)
        {
            Tensor aMatrix = aIsVector ? a.Reshape(-1, 1) : a.Transpose(-1, -2);
            gradB = (Input0Rank == 2 && Input1Rank == 2 ? Offers?.MatMulInto(1, aMatrix, g) : null) ?? Tensor.MatMul(aMatrix, g);
            if (bIsVector)
            {
                gradB = Squeeze(gradB, -1);
            }
        }

        return [gradA, gradB];
    }

    private static Tensor Outer(Tensor u, Tensor v) => u.Backend.Outer(u, v);

    private int Input0Rank => InputShape(0).Length;

    private int Input1Rank => InputShape(1).Length;

    private static Tensor Unsqueeze(Tensor t, int dim)
    {
        int at = dim < 0 ? t.Rank + 1 + dim : dim;
        int[] shape = new int[t.Rank + 1];
        t._shape.AsSpan(0, at).CopyTo(shape);
        shape[at] = 1;
        t._shape.AsSpan(at).CopyTo(shape.AsSpan(at + 1));
        return t.Reshape(shape);
    }

    private static Tensor Squeeze(Tensor t, int dim)
    {
        int at = dim < 0 ? t.Rank + dim : dim;
        int[] shape = new int[t.Rank - 1];
        t._shape.AsSpan(0, at).CopyTo(shape);
        t._shape.AsSpan(at + 1).CopyTo(shape.AsSpan(at));
        return t.Reshape(shape);
    }

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
