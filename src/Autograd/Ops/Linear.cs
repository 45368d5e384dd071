namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// The affine map <c>y = x·Wᵀ + b</c> with W of shape [out, in] (PyTorch's <c>F.linear</c>). For a batch
    /// [N, in] with a bias this is one fused kernel call (the bias rows seed the output, the GEMM accumulates onto
    /// them, reading W transposed in place) recorded as <c>AddmmBackward</c>; other ranks and dtypes compose MatMul and Add
    /// (which, as PyTorch, refuse an input and weight of different dtypes, and a bias of another dtype than theirs).
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (bias is not null && bias._dtype != input._dtype && input._dtype == weight._dtype)
        {
            throw new InvalidOperationException("self and mat2 must have the same dtype");
        }

        if (bias is null || input._dtype != DType.Float32 || weight._dtype != DType.Float32 || bias._dtype != DType.Float32
            || input.Rank != 2 || weight.Rank != 2 || bias.Rank != 1
            || input._shape[1] != weight._shape[1] || bias._shape[0] != weight._shape[0]
            || !weight.IsContiguous)
        {
            Tensor product = Tensor.MatMul(input, weight.T);
            return bias is null ? product : product + bias;
        }

        Tensor output = Tensor.SameDeviceBackend(input, weight, bias).Addmm(input, weight, bias);
        return GradMode.IsEnabled && (input.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad)
            ? output.WithGradFn(new AddmmBackward(input, weight, bias))
            : output;
    }
}

/// <summary>
/// <c>Y = X·Wᵀ + b</c> for X [N, in], W [out, in], b [out]: ∂L/∂X = G·W, ∂L/∂W = Gᵀ·X, ∂L/∂b = Σ_rows G.
/// Transposes are views the GEMM reads in place; b was broadcast over the rows, so its gradient is G itself and the
/// engine sums it back to b's shape.
/// </summary>
internal sealed class AddmmBackward : Node
{
    private SavedTensor _input;
    private SavedTensor _weight;

    internal AddmmBackward(Tensor input, Tensor weight, Tensor bias)
        : base(input, weight, bias)
    {
        _input = weight.RequiresGrad ? input : null;
        _weight = input.RequiresGrad ? weight : null;
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
    [
        NeedsInputGrad(0) ? Offers?.MatMulInto(0, grad, Saved(_weight)) ?? Tensor.MatMul(grad, Saved(_weight)) : null,
        NeedsInputGrad(1) ? Offers?.MatMulInto(1, grad.T, Saved(_input)) ?? Tensor.MatMul(grad.T, Saved(_input)) : null,
        NeedsInputGrad(2) ? Offers?.SumRowsInto(2, grad) ?? grad : null,
    ];

    protected override void ReleaseSaved() => (_input, _weight) = (null, null);
}
