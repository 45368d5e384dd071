using Autograd.Kernels;

namespace Autograd;

/// <summary>
/// The differentiable pair behind every strided view's backward. <c>AsStrided(x, G)</c> reads the window
/// <c>G = (shape, strides, offset)</c> of x's logical (row-major) layout; <c>AsStridedScatter(g, shape of x, G)</c> is
/// its adjoint: zeros of x's shape with g added into that window. Each is the other's backward, so gradients of any
/// order go through views: with y = A x (A a 0/1 selection matrix), ∂L/∂x = Aᵀ g, and the adjoint of Aᵀ is A.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// The view <c>out[i] = row-major(x)[G.Offset + Σₖ iₖ·G.Strides[k]]</c>. The geometry indexes this tensor's logical
    /// layout, so a strided tensor is first made contiguous (a recorded copy): only backward passes call this, on
    /// gradients, and those are contiguous in the common case.
    /// </summary>
    internal Tensor AsStrided(ViewGeometry logical)
    {
        Tensor source = Contiguous();
        Tensor output = source.ViewOf(logical with { Offset = source._offset + logical.Offset });
        return GradMode.ShouldRecord(source) ? output.WithGradFn(new AsStridedBackward(source, logical)) : output;
    }

    /// <summary>
    /// Zeros of <paramref name="inputShape"/> with this tensor (of shape <c>G.Shape</c>) added into the window
    /// <paramref name="logical"/> of their row-major layout; overlapping window elements accumulate.
    /// </summary>
    internal Tensor AsStridedScatter(int[] inputShape, ViewGeometry logical)
    {
        Tensor output = _dtype switch
        {
            DType.Float32 => ScatterFloat32(inputShape, logical),
            DType.Float64 => new Tensor(ScatterTyped<double>(inputShape, logical), DType.Float64, inputShape),
            DType.Int64 => new Tensor(ScatterTyped<long>(inputShape, logical), DType.Int64, inputShape),
            DType.Int32 => new Tensor(ScatterTyped<int>(inputShape, logical), DType.Int32, inputShape),

            // float16 and bfloat16 accumulate overlapping elements in float32 and round once.
            _ => ConvertedTo(DType.Float32).AsStridedScatter(inputShape, logical).ConvertedTo(_dtype),
        };
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new AsStridedScatterBackward(this, logical)) : output;
    }

    private Tensor ScatterFloat32(int[] inputShape, ViewGeometry logical)
    {
        Tensor output = Backend.Zeros(inputShape);
        Strided.ScatterAdd<float>(ContiguousData(), logical.Shape, logical.Strides, logical.Offset, output.Data);
        return output;
    }

    private T[] ScatterTyped<T>(int[] inputShape, ViewGeometry logical)
        where T : System.Numerics.INumber<T>
    {
        var result = new T[Autograd.Shape.ElementCountOf(inputShape)];
        Strided.ScatterAdd<T>(ToArray<T>(), logical.Shape, logical.Strides, logical.Offset, result);
        return result;
    }
}

/// <summary>
/// The backward shared by strided views: <c>out = window G of x</c> → ∂L/∂x = AsStridedScatter(g, shape of x, G),
/// G being the view's geometry in x's row-major layout. Saves only x's shape and G.
/// </summary>
internal abstract class StridedViewBackward(Tensor x, ViewGeometry logical) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.AsStridedScatter(_inputShape, logical)];
}

/// <summary><c>out = AsStrided(x, G)</c>: ∂L/∂x = AsStridedScatter(g, shape of x, G).</summary>
internal sealed class AsStridedBackward(Tensor x, ViewGeometry logical) : StridedViewBackward(x, logical);

/// <summary><c>out = AsStridedScatter(g, s, G)</c> is linear in g with adjoint AsStrided: ∂L/∂g = AsStrided(gₒᵤₜ, G).</summary>
internal sealed class AsStridedScatterBackward(Tensor g, ViewGeometry logical) : Node(g)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad.AsStrided(logical)];
}
