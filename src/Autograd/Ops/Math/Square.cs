namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// x² element-wise: PyTorch's <c>square</c>, which is <c>pow(x, 2)</c> (its node is PowBackward). Integer tensors keep
    /// their dtype (wrapping on overflow), a bool one becomes int64.
    /// </summary>
    public static Tensor Square(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Pow(x, 2L);
    }

    /// <inheritdoc cref="Square(Tensor)"/>
    public Tensor Square() => Square(this);
}
