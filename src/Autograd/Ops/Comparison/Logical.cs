using System.Numerics;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>a ∧ b</c> element-wise with broadcasting, any dtypes in, bool out; an element is true when nonzero (NaN is
    /// true). PyTorch's <c>torch.logical_and</c>. Not differentiable: the result never requires grad.
    /// </summary>
    public static Tensor LogicalAnd(Tensor a, Tensor b) => LogicalBinary(a, b, 0);

    /// <summary><c>a ∨ b</c> (PyTorch's <c>torch.logical_or</c>). See <see cref="LogicalAnd(Tensor, Tensor)"/>.</summary>
    public static Tensor LogicalOr(Tensor a, Tensor b) => LogicalBinary(a, b, 1);

    /// <summary><c>a ⊕ b</c> (PyTorch's <c>torch.logical_xor</c>). See <see cref="LogicalAnd(Tensor, Tensor)"/>.</summary>
    public static Tensor LogicalXor(Tensor a, Tensor b) => LogicalBinary(a, b, 2);

    /// <summary><c>¬x</c>: true where the element is zero (PyTorch's <c>torch.logical_not</c>). Not differentiable.</summary>
    public static Tensor LogicalNot(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = new bool[x._count];
        Logical.Not(Operands.Truth(x, x._shape), output);
        return new Tensor(output, DType.Bool, x._shape);
    }

    /// <inheritdoc cref="LogicalAnd(Tensor, Tensor)"/>
    public Tensor LogicalAnd(Tensor other) => LogicalAnd(this, other);

    /// <inheritdoc cref="LogicalOr(Tensor, Tensor)"/>
    public Tensor LogicalOr(Tensor other) => LogicalOr(this, other);

    /// <inheritdoc cref="LogicalXor(Tensor, Tensor)"/>
    public Tensor LogicalXor(Tensor other) => LogicalXor(this, other);

    /// <inheritdoc cref="LogicalNot(Tensor)"/>
    public Tensor LogicalNot() => LogicalNot(this);

    /// <summary>
    /// Bitwise and with broadcasting and type promotion (PyTorch's <c>torch.bitwise_and</c>, the <c>&amp;</c> operator):
    /// logical and on two bool tensors, two's-complement and on int64/int32 (a bool operand counts as 0 or 1). Floating
    /// operands are refused with PyTorch's <c>"bitwise_and_cpu" not implemented for 'Float'</c>. Not differentiable.
    /// </summary>
    public static Tensor BitwiseAnd(Tensor a, Tensor b) => Bitwise(a, b, 0, "bitwise_and_cpu");

    /// <summary>Bitwise or (<c>torch.bitwise_or</c>, <c>|</c>). See <see cref="BitwiseAnd(Tensor, Tensor)"/>.</summary>
    public static Tensor BitwiseOr(Tensor a, Tensor b) => Bitwise(a, b, 1, "bitwise_or_cpu");

    /// <summary>Bitwise xor (<c>torch.bitwise_xor</c>, <c>^</c>). See <see cref="BitwiseAnd(Tensor, Tensor)"/>.</summary>
    public static Tensor BitwiseXor(Tensor a, Tensor b) => Bitwise(a, b, 2, "bitwise_xor_cpu");

    /// <summary>
    /// Bitwise not (<c>torch.bitwise_not</c>, <c>~</c>): logical not of a bool tensor, <c>~v = −v − 1</c> of an integer
    /// one; floating tensors are refused with <c>"bitwise_not_cpu" not implemented for 'Float'</c> (Python's <c>~</c>
    /// raises a TypeError before reaching the kernel). Not differentiable.
    /// </summary>
    public static Tensor BitwiseNot(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        switch (x._dtype)
        {
            case DType.Bool: return LogicalNot(x);
            case DType.Int64: return Map<long>(x, DType.Int64);
            case DType.Int32: return Map<int>(x, DType.Int32);
            default: throw NotImplementedFor(x._dtype, "bitwise_not_cpu");
        }

        static Tensor Map<T>(Tensor x, DType dtype)
            where T : IBitwiseOperators<T, T, T>
        {
            var output = new T[x._count];
            Logical.BitwiseNot(Operands.Read<T>(x, dtype, x._shape), output);
            return new Tensor(output, dtype, x._shape);
        }
    }

    /// <inheritdoc cref="BitwiseAnd(Tensor, Tensor)"/>
    public static Tensor operator &(Tensor a, Tensor b) => BitwiseAnd(a, b);

    /// <inheritdoc cref="BitwiseOr(Tensor, Tensor)"/>
    public static Tensor operator |(Tensor a, Tensor b) => BitwiseOr(a, b);

    /// <inheritdoc cref="BitwiseXor(Tensor, Tensor)"/>
    public static Tensor operator ^(Tensor a, Tensor b) => BitwiseXor(a, b);

    /// <inheritdoc cref="BitwiseNot(Tensor)"/>
    public static Tensor operator ~(Tensor x) => BitwiseNot(x);

    /// <summary>With an integer: the tensor's integer type is kept, a bool tensor becomes int64 (PyTorch's wrapped-number rule).</summary>
    public static Tensor operator &(Tensor a, long b) => Bitwise(a, b, 0, "bitwise_and_cpu");

    /// <inheritdoc cref="op_BitwiseAnd(Tensor, long)"/>
    public static Tensor operator |(Tensor a, long b) => Bitwise(a, b, 1, "bitwise_or_cpu");

    /// <inheritdoc cref="op_BitwiseAnd(Tensor, long)"/>
    public static Tensor operator ^(Tensor a, long b) => Bitwise(a, b, 2, "bitwise_xor_cpu");

    /// <summary>With a bool: the tensor's type is kept (a bool tensor stays bool, an integer one uses 0 or 1).</summary>
    public static Tensor operator &(Tensor a, bool b) => BitwiseWithBool(a, b, 0, "bitwise_and_cpu");

    /// <inheritdoc cref="op_BitwiseAnd(Tensor, bool)"/>
    public static Tensor operator |(Tensor a, bool b) => BitwiseWithBool(a, b, 1, "bitwise_or_cpu");

    /// <inheritdoc cref="op_BitwiseAnd(Tensor, bool)"/>
    public static Tensor operator ^(Tensor a, bool b) => BitwiseWithBool(a, b, 2, "bitwise_xor_cpu");

    private static Tensor LogicalBinary(Tensor a, Tensor b, int op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = Broadcasting.Shapes(a._shape, b._shape);
        var output = new bool[Autograd.Shape.ElementCountOf(shape)];
        ReadOnlySpan<bool> x = Operands.Truth(a, shape), y = Operands.Truth(b, shape);
        switch (op)
        {
            case 0: Logical.And(x, y, output); break;
            case 1: Logical.Or(x, y, output); break;
            default: Logical.Xor(x, y, output); break;
        }

        return new Tensor(output, DType.Bool, shape);
    }

    private static Tensor Bitwise(Tensor a, Tensor b, int op, string kernel)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Bitwise(a, b, DTypes.ResultType(a, b), op, kernel);
    }

    private static Tensor Bitwise(Tensor a, long b, int op, string kernel)
    {
        ArgumentNullException.ThrowIfNull(a);
        DType promoted = DTypes.PromoteWithScalar(a._dtype, scalarIsFloatingPoint: false);
        return Bitwise(a, Operands.Scalar(b, promoted), promoted, op, kernel);
    }

    private static Tensor BitwiseWithBool(Tensor a, bool b, int op, string kernel)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Bitwise(a, Operands.Scalar(b ? 1 : 0, a._dtype), a._dtype, op, kernel);
    }

    private static Tensor Bitwise(Tensor a, Tensor b, DType promoted, int op, string kernel)
    {
        if (promoted.IsFloatingPoint())
        {
            throw NotImplementedFor(promoted, kernel);
        }

        if (promoted == DType.Bool)
        {
            return LogicalBinary(a, b, op);
        }

        int[] shape = Broadcasting.Shapes(a._shape, b._shape);
        Tensor output = promoted == DType.Int64 ? Compute<long>(a, b, promoted, shape, op) : Compute<int>(a, b, promoted, shape, op);
        return output;

        static Tensor Compute<T>(Tensor a, Tensor b, DType dtype, int[] shape, int op)
            where T : IBitwiseOperators<T, T, T>
        {
            var values = new T[Autograd.Shape.ElementCountOf(shape)];
            ReadOnlySpan<T> x = Operands.Read<T>(a, dtype, shape), y = Operands.Read<T>(b, dtype, shape);
            switch (op)
            {
                case 0: Logical.BitwiseAnd(x, y, values); break;
                case 1: Logical.BitwiseOr(x, y, values); break;
                default: Logical.BitwiseXor(x, y, values); break;
            }

            return new Tensor(values, dtype, shape);
        }
    }
}
