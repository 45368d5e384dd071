using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Whether any element is nonzero, as a 0-d bool tensor (PyTorch's <c>torch.any</c>); any dtype in, NaN counts as
    /// nonzero, an empty tensor gives false. Not differentiable.
    /// </summary>
    public Tensor Any() => AnyAll(all: false);

    /// <summary>Whether every element is nonzero (PyTorch's <c>torch.all</c>); an empty tensor gives true. Not differentiable.</summary>
    public Tensor All() => AnyAll(all: true);

    /// <summary>
    /// Whether any element along <paramref name="dim"/> is nonzero, the dimension removed (or kept as 1 with
    /// <paramref name="keepDim"/>); an empty dimension gives false. A 0-d tensor takes dim 0 or −1. Not differentiable.
    /// </summary>
    public Tensor Any(int dim, bool keepDim = false) => AnyAll(dim, keepDim, all: false);

    /// <summary>Whether every element along <paramref name="dim"/> is nonzero; an empty dimension gives true. See <see cref="Any(int, bool)"/>.</summary>
    public Tensor All(int dim, bool keepDim = false) => AnyAll(dim, keepDim, all: true);

    /// <summary>
    /// The number of nonzero elements, as a 0-d int64 tensor (PyTorch's <c>torch.count_nonzero</c>). Not differentiable.
    /// </summary>
    public Tensor CountNonzero()
    {
        long count = Logical.Count(Operands.Truth(this, _shape));
        return new Tensor(new[] { count }, DType.Int64, []);
    }

    /// <summary>The number of nonzero elements along <paramref name="dim"/>, which is removed; int64. Not differentiable.</summary>
    public Tensor CountNonzero(int dim)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        (int outer, int size, int inner) = Operands.Around(_shape, d);
        int[] shape = Operands.Reduced(_shape, d, keepDim: false);
        var output = new long[outer * inner];
        Logical.CountAlong(Operands.Truth(this, _shape), outer, size, inner, output);
        return new Tensor(output, DType.Int64, shape);
    }

    private Tensor AnyAll(bool all)
    {
        ReadOnlySpan<bool> truth = Operands.Truth(this, _shape);
        bool result = all ? !truth.Contains(false) : truth.Contains(true);
        return new Tensor(new[] { result }, DType.Bool, []);
    }

    private Tensor AnyAll(int dim, bool keepDim, bool all)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        (int outer, int size, int inner) = Operands.Around(_shape, d);
        int[] shape = Operands.Reduced(_shape, d, keepDim);
        var output = new bool[outer * inner];
        Logical.AnyAll(Operands.Truth(this, _shape), outer, size, inner, all, output);
        return new Tensor(output, DType.Bool, shape);
    }

    /// <summary>True where the element is NaN (PyTorch's <c>torch.isnan</c>); integers and bools never are. Not differentiable.</summary>
    public Tensor IsNan() => Predicate(0);

    /// <summary>True where the element is +∞ or −∞ (PyTorch's <c>torch.isinf</c>); integers and bools never are. Not differentiable.</summary>
    public Tensor IsInf() => Predicate(1);

    /// <summary>True where the element is neither NaN nor infinite (PyTorch's <c>torch.isfinite</c>); integers and bools always are. Not differentiable.</summary>
    public Tensor IsFinite() => Predicate(2);

    private Tensor Predicate(int which)
    {
        var output = new bool[_count];
        switch (_dtype)
        {
            case DType.Float32: Apply(Operands.Read<float>(this, DType.Float32, _shape), output, which); break;
            case DType.Float64: Apply(Operands.Read<double>(this, DType.Float64, _shape), output, which); break;
            case DType.Float16: Apply(Operands.Read<Half>(this, DType.Float16, _shape), output, which); break;
            case DType.BFloat16: Apply(Operands.Read<float>(this, DType.Float32, _shape), output, which); break;   // widening is exact
            default: output.AsSpan().Fill(which == 2); break;   // integers are finite
        }

        return new Tensor(output, DType.Bool, _shape);

        static void Apply<T>(ReadOnlySpan<T> x, Span<bool> destination, int which)
            where T : System.Numerics.INumberBase<T>
        {
            switch (which)
            {
                case 0: TensorPrimitives.IsNaN(x, destination); break;
                case 1: TensorPrimitives.IsInfinity(x, destination); break;
                default: TensorPrimitives.IsFinite(x, destination); break;
            }
        }
    }
}
