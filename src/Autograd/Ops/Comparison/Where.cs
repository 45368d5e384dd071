using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = condition ? a : b</c> element-wise, the three broadcast together (PyTorch's <c>torch.where</c>). The
    /// result has <paramref name="a"/> and <paramref name="b"/>'s promoted type (<c>result_type</c>, so a 0-d operand
    /// only lifts the kind). <paramref name="condition"/> must be a bool tensor (PyTorch 1.13 also takes uint8, which
    /// this library has not). Differentiable in a and b: ∂L/∂a = g where the condition holds and 0 elsewhere, ∂L/∂b the
    /// rest, each summed back to its operand's shape.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireBoolCondition(condition);
        Tensor output = WhereSelect(condition, a, b, DTypes.ResultType(a, b));
        return GradMode.ShouldRecord(a, b) && output._dtype.IsFloatingPoint()
            ? output.WithGradFn(new WhereBackward(condition, a, b))
            : output;
    }

    /// <summary>
    /// <c>condition ? a : b</c> with a double <paramref name="b"/> (PyTorch's wrapped-number rule: a floating
    /// <paramref name="a"/> keeps its type, an integer or bool one gives float32). Differentiable in <paramref name="a"/>.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Where(condition, a, Scalar(b, DTypes.PromoteWithScalar(a._dtype, scalarIsFloatingPoint: true)));
    }

    /// <summary><c>condition ? a : b</c> with a double <paramref name="a"/>. See <see cref="Where(Tensor, Tensor, double)"/>.</summary>
    public static Tensor Where(Tensor condition, double a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Where(condition, Scalar(a, DTypes.PromoteWithScalar(b._dtype, scalarIsFloatingPoint: true)), b);
    }

    /// <summary><c>condition ? a : b</c> with an integer <paramref name="b"/>: the tensor's type is kept (a bool one becomes int64).</summary>
    public static Tensor Where(Tensor condition, Tensor a, long b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Where(condition, a, Operands.Scalar(b, DTypes.PromoteWithScalar(a._dtype, scalarIsFloatingPoint: false)));
    }

    /// <summary><c>condition ? a : b</c> with an integer <paramref name="a"/>. See <see cref="Where(Tensor, Tensor, long)"/>.</summary>
    public static Tensor Where(Tensor condition, long a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Where(condition, Operands.Scalar(a, DTypes.PromoteWithScalar(b._dtype, scalarIsFloatingPoint: false)), b);
    }

    /// <summary>The same with a float (as the double overload; avoids ambiguity with the implicit float → Tensor conversion).</summary>
    public static Tensor Where(Tensor condition, Tensor a, float b) => Where(condition, a, (double)b);

    /// <inheritdoc cref="Where(Tensor, Tensor, float)"/>
    public static Tensor Where(Tensor condition, float a, Tensor b) => Where(condition, (double)a, b);

    /// <summary><c>condition ? a : b</c> of two doubles: a float32 tensor of the condition's shape (the default float, as PyTorch).</summary>
    public static Tensor Where(Tensor condition, double a, double b) => Where(condition, Scalar(a, DType.Float32), Scalar(b, DType.Float32));

    /// <summary><c>condition ? a : b</c> of two integers: an int64 tensor of the condition's shape.</summary>
    public static Tensor Where(Tensor condition, long a, long b) => Where(condition, Operands.Scalar(a, DType.Int64), Operands.Scalar(b, DType.Int64));

    private static void RequireBoolCondition(Tensor condition)
    {
        if (condition._dtype != DType.Bool)
        {
            throw new ArgumentException(
                $"where expected condition to be a boolean tensor, but got a tensor with dtype {condition._dtype.ScalarTypeName()}", nameof(condition));
        }
    }

    /// <summary><c>condition ? a : b</c> in <paramref name="dtype"/>, the three broadcast; records nothing.</summary>
    internal static Tensor WhereSelect(Tensor condition, Tensor a, Tensor b, DType dtype)
    {
        int[] shape = Broadcasting.Shapes(Broadcasting.Shapes(condition._shape, a._shape), b._shape);
        Tensor output = dtype switch
        {
            DType.Float32 => SelectAs<float>(condition, a, b, dtype, shape),
            DType.Float64 => SelectAs<double>(condition, a, b, dtype, shape),
            DType.Int64 => SelectAs<long>(condition, a, b, dtype, shape),
            DType.Int32 => SelectAs<int>(condition, a, b, dtype, shape),
            DType.Bool => SelectAs<bool>(condition, a, b, dtype, shape),
            DType.Float16 => SelectAs<Half>(condition, a, b, dtype, shape),
            DType.BFloat16 => SelectAs<ushort>(condition, a, b, dtype, shape),
            _ => throw NotImplementedFor(dtype, "where_cpu"),
        };

        return output;

        static Tensor SelectAs<T>(Tensor condition, Tensor a, Tensor b, DType dtype, int[] shape)
        {
            var values = new T[Autograd.Shape.ElementCountOf(shape)];
            Logical.Select(Operands.Read<bool>(condition, DType.Bool, shape), Operands.Read<T>(a, dtype, shape), Operands.Read<T>(b, dtype, shape), values);
            return Operands.Fresh(values, dtype, shape);
        }
    }
}

/// <summary>
/// <c>out = where(c, a, b)</c>: ∂L/∂a = where(c, g, 0), ∂L/∂b = where(c, 0, g), written with <see cref="Tensor.Where(Tensor, Tensor, double)"/>
/// so they are differentiable again; the engine sums each over the dimensions its operand was broadcast along.
/// Saves only the condition.
/// </summary>
internal sealed class WhereBackward : Node
{
    private SavedTensor _condition;

    internal WhereBackward(Tensor condition, Tensor a, Tensor b)
        : base(a, b) => _condition = condition;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor condition = Saved(_condition);
        return
        [
            NeedsInputGrad(0) ? Tensor.Where(condition, grad, 0.0) : null,
            NeedsInputGrad(1) ? Tensor.Where(condition, 0.0, grad) : null,
        ];
    }

    protected override void ReleaseSaved() => _condition = default;
}
