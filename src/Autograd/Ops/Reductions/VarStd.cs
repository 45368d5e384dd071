namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The variance over <paramref name="dims"/> (all dimensions when null or empty):
    /// Σ (x − mean)² / max(0, n − <paramref name="correction"/>), n the number of elements per output (correction 1 is
    /// Bessel's, PyTorch's default; n ≤ correction gives NaN or ∞, as PyTorch). Floating dtypes only.
    /// </summary>
    public Tensor Var(int[]? dims = null, double correction = 1, bool keepDim = false) => VarCore(dims, correction, keepDim);

    /// <summary>The variance over one dimension. See <see cref="Var(int[], double, bool)"/>.</summary>
    public Tensor Var(int dim, double correction = 1, bool keepDim = false) => VarCore([dim], correction, keepDim);

    /// <summary>The variance of all elements, divided by n − 1 when <paramref name="unbiased"/>, else by n.</summary>
    public Tensor Var(bool unbiased) => VarCore(null, unbiased ? 1 : 0, keepDim: false);

    /// <summary>The variance over <paramref name="dims"/>, divided by n − 1 when <paramref name="unbiased"/>, else by n.</summary>
    public Tensor Var(int[] dims, bool unbiased, bool keepDim = false) => VarCore(dims, unbiased ? 1 : 0, keepDim);

    /// <summary>The standard deviation √Var over <paramref name="dims"/>. See <see cref="Var(int[], double, bool)"/>.</summary>
    public Tensor Std(int[]? dims = null, double correction = 1, bool keepDim = false) => VarCore(dims, correction, keepDim).Sqrt();

    /// <summary>The standard deviation over one dimension. See <see cref="Var(int[], double, bool)"/>.</summary>
    public Tensor Std(int dim, double correction = 1, bool keepDim = false) => VarCore([dim], correction, keepDim).Sqrt();

    /// <summary>The standard deviation of all elements, with n − 1 (<paramref name="unbiased"/>) or n.</summary>
    public Tensor Std(bool unbiased) => VarCore(null, unbiased ? 1 : 0, keepDim: false).Sqrt();

    /// <summary>The standard deviation over <paramref name="dims"/>, with n − 1 (<paramref name="unbiased"/>) or n.</summary>
    public Tensor Std(int[] dims, bool unbiased, bool keepDim = false) => VarCore(dims, unbiased ? 1 : 0, keepDim).Sqrt();

    /// <summary>The variance and the mean over <paramref name="dims"/> together (PyTorch's <c>var_mean</c>).</summary>
    public (Tensor Var, Tensor Mean) VarMean(int[]? dims = null, double correction = 1, bool keepDim = false) =>
        (VarCore(dims, correction, keepDim), Mean(dims ?? [], keepDim));

    /// <summary>The standard deviation and the mean over <paramref name="dims"/> together (PyTorch's <c>std_mean</c>).</summary>
    public (Tensor Std, Tensor Mean) StdMean(int[]? dims = null, double correction = 1, bool keepDim = false) =>
        (VarCore(dims, correction, keepDim).Sqrt(), Mean(dims ?? [], keepDim));

    /// <summary>Σ (x − mean)² / max(0, n − correction), composed of differentiable ops: ∂/∂x = 2(x − mean)/(n − c) · g.</summary>
    private Tensor VarCore(int[]? dims, double correction, bool keepDim)
    {
        if (!_dtype.IsFloatingPoint())
        {
            throw new InvalidOperationException("std and var only support floating point and complex dtypes");
        }

        int[] reduced = dims ?? [];
        int n = Kernels.AxisReduction.Plan(_shape, reduced, all: reduced.Length == 0).Size;
        Tensor centered = this - Mean(reduced, keepDim: true);
        return (centered * centered).Sum(reduced, keepDim) / Math.Max(0, n - correction);
    }
}
