namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise clamp to [<paramref name="minVal"/>, <paramref name="maxVal"/>] (PyTorch's hardtanh; relu6 is
    /// hardtanh(0, 6)). Integer tensors keep their dtype; NaN stays NaN.
    /// </summary>
    internal static Tensor Hardtanh(Tensor x, double minVal, double maxVal)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Clamp(x, minVal, maxVal);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new HardtanhBackward(x, minVal, maxVal)) : output;
    }
}

/// <summary>
/// <c>out = clamp(x, lo, hi)</c>: ∂L/∂x = lo &lt; x &lt; hi ? g : 0 (PyTorch's hardtanh_backward: the gradient passes
/// strictly inside the bounds; NaN gets 0 as in its vectorised kernel, which serves all but a tensor's last few
/// elements). Linear in g with a constant mask.
/// </summary>
internal sealed class HardtanhBackward(Tensor x, double minVal, double maxVal) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [Tensor.Where((x > minVal) & (x < maxVal), grad, 0.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
