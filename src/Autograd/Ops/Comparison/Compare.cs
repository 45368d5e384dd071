using System.Numerics;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>a == b</c> element-wise with broadcasting, as a bool tensor (PyTorch's <c>torch.eq</c>). The operands are
    /// compared in their promoted type (PyTorch's <c>result_type</c>: an int64 tensor against a float32 one compares as
    /// float32); NaN equals nothing. Not differentiable: the result never requires grad.
    /// </summary>
    /// <remarks>
    /// <c>==</c> and <c>!=</c> are deliberately not overloaded: <see cref="Tensor"/> is a reference type used as a key
    /// and in reference checks, where <c>==</c> must keep meaning the same object. Use <see cref="Eq(Tensor, Tensor)"/>
    /// and <see cref="Ne(Tensor, Tensor)"/>, and <see cref="Equal"/> for PyTorch's whole-tensor <c>torch.equal</c>.
    /// </remarks>
    public static Tensor Eq(Tensor a, Tensor b) => CompareTensors<EqualOperator>(a, b);

    /// <summary><c>a != b</c> element-wise (PyTorch's <c>torch.ne</c>); NaN differs from everything. See <see cref="Eq(Tensor, Tensor)"/>.</summary>
    public static Tensor Ne(Tensor a, Tensor b) => CompareTensors<NotEqualOperator>(a, b);

    /// <summary><c>a &lt; b</c> element-wise (PyTorch's <c>torch.lt</c>). See <see cref="Eq(Tensor, Tensor)"/>.</summary>
    public static Tensor Lt(Tensor a, Tensor b) => CompareTensors<LessThanOperator>(a, b);

    /// <summary><c>a &lt;= b</c> element-wise (PyTorch's <c>torch.le</c>). See <see cref="Eq(Tensor, Tensor)"/>.</summary>
    public static Tensor Le(Tensor a, Tensor b) => CompareTensors<LessThanOrEqualOperator>(a, b);

    /// <summary><c>a &gt; b</c> element-wise (PyTorch's <c>torch.gt</c>). See <see cref="Eq(Tensor, Tensor)"/>.</summary>
    public static Tensor Gt(Tensor a, Tensor b) => CompareTensors<GreaterThanOperator>(a, b);

    /// <summary><c>a &gt;= b</c> element-wise (PyTorch's <c>torch.ge</c>). See <see cref="Eq(Tensor, Tensor)"/>.</summary>
    public static Tensor Ge(Tensor a, Tensor b) => CompareTensors<GreaterThanOrEqualOperator>(a, b);

    /// <summary>
    /// Every element against a double (PyTorch's wrapped-number rule: a floating tensor compares in its own type, the
    /// number rounded to it; an integer or bool tensor compares as float32).
    /// </summary>
    public static Tensor Eq(Tensor a, double b) => CompareScalar<EqualOperator>(a, b);

    /// <summary>Every element against an integer: in the tensor's type (int32 takes the integer's low 32 bits, as PyTorch; bool compares as int64).</summary>
    public static Tensor Eq(Tensor a, long b) => CompareScalar<EqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor Ne(Tensor a, double b) => CompareScalar<NotEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor Ne(Tensor a, long b) => CompareScalar<NotEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor Lt(Tensor a, double b) => CompareScalar<LessThanOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor Lt(Tensor a, long b) => CompareScalar<LessThanOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor Le(Tensor a, double b) => CompareScalar<LessThanOrEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor Le(Tensor a, long b) => CompareScalar<LessThanOrEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor Gt(Tensor a, double b) => CompareScalar<GreaterThanOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor Gt(Tensor a, long b) => CompareScalar<GreaterThanOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor Ge(Tensor a, double b) => CompareScalar<GreaterThanOrEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor Ge(Tensor a, long b) => CompareScalar<GreaterThanOrEqualOperator>(a, b);

    /// <inheritdoc cref="Eq(Tensor, Tensor)"/>
    public Tensor Eq(Tensor other) => Eq(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Eq(double other) => Eq(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Eq(long other) => Eq(this, other);

    /// <inheritdoc cref="Ne(Tensor, Tensor)"/>
    public Tensor Ne(Tensor other) => Ne(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Ne(double other) => Ne(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Ne(long other) => Ne(this, other);

    /// <inheritdoc cref="Lt(Tensor, Tensor)"/>
    public Tensor Lt(Tensor other) => Lt(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Lt(double other) => Lt(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Lt(long other) => Lt(this, other);

    /// <inheritdoc cref="Le(Tensor, Tensor)"/>
    public Tensor Le(Tensor other) => Le(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Le(double other) => Le(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Le(long other) => Le(this, other);

    /// <inheritdoc cref="Gt(Tensor, Tensor)"/>
    public Tensor Gt(Tensor other) => Gt(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Gt(double other) => Gt(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Gt(long other) => Gt(this, other);

    /// <inheritdoc cref="Ge(Tensor, Tensor)"/>
    public Tensor Ge(Tensor other) => Ge(this, other);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public Tensor Ge(double other) => Ge(this, other);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public Tensor Ge(long other) => Ge(this, other);

    /// <inheritdoc cref="Lt(Tensor, Tensor)"/>
    public static Tensor operator <(Tensor a, Tensor b) => Lt(a, b);

    /// <inheritdoc cref="Gt(Tensor, Tensor)"/>
    public static Tensor operator >(Tensor a, Tensor b) => Gt(a, b);

    /// <inheritdoc cref="Le(Tensor, Tensor)"/>
    public static Tensor operator <=(Tensor a, Tensor b) => Le(a, b);

    /// <inheritdoc cref="Ge(Tensor, Tensor)"/>
    public static Tensor operator >=(Tensor a, Tensor b) => Ge(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor operator <(Tensor a, double b) => Lt(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor operator >(Tensor a, double b) => Gt(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor operator <=(Tensor a, double b) => Le(a, b);

    /// <inheritdoc cref="Eq(Tensor, double)"/>
    public static Tensor operator >=(Tensor a, double b) => Ge(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor operator <(Tensor a, long b) => Lt(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor operator >(Tensor a, long b) => Gt(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor operator <=(Tensor a, long b) => Le(a, b);

    /// <inheritdoc cref="Eq(Tensor, long)"/>
    public static Tensor operator >=(Tensor a, long b) => Ge(a, b);

    /// <summary>A number compared with every element: <c>s &lt; x</c> is <c>x &gt; s</c>.</summary>
    public static Tensor operator <(double a, Tensor b) => Gt(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >(double a, Tensor b) => Lt(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator <=(double a, Tensor b) => Ge(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >=(double a, Tensor b) => Le(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator <(long a, Tensor b) => Gt(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >(long a, Tensor b) => Lt(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator <=(long a, Tensor b) => Ge(b, a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >=(long a, Tensor b) => Le(b, a);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Eq(Tensor a, float b) => Eq(a, (double)b);

    /// <inheritdoc cref="Eq(Tensor, float)"/>
    public Tensor Eq(float other) => Eq(this, (double)other);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Ne(Tensor a, float b) => Ne(a, (double)b);

    /// <inheritdoc cref="Ne(Tensor, float)"/>
    public Tensor Ne(float other) => Ne(this, (double)other);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Lt(Tensor a, float b) => Lt(a, (double)b);

    /// <inheritdoc cref="Lt(Tensor, float)"/>
    public Tensor Lt(float other) => Lt(this, (double)other);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Le(Tensor a, float b) => Le(a, (double)b);

    /// <inheritdoc cref="Le(Tensor, float)"/>
    public Tensor Le(float other) => Le(this, (double)other);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Gt(Tensor a, float b) => Gt(a, (double)b);

    /// <inheritdoc cref="Gt(Tensor, float)"/>
    public Tensor Gt(float other) => Gt(this, (double)other);

    /// <summary>The same with a float (exactly the double overload; it exists so that a float argument is not ambiguous with the implicit float → Tensor conversion).</summary>
    public static Tensor Ge(Tensor a, float b) => Ge(a, (double)b);

    /// <inheritdoc cref="Ge(Tensor, float)"/>
    public Tensor Ge(float other) => Ge(this, (double)other);

    /// <inheritdoc cref="Eq(Tensor, float)"/>
    public static Tensor operator <(Tensor a, float b) => Lt(a, (double)b);

    /// <inheritdoc cref="Eq(Tensor, float)"/>
    public static Tensor operator >(Tensor a, float b) => Gt(a, (double)b);

    /// <inheritdoc cref="Eq(Tensor, float)"/>
    public static Tensor operator <=(Tensor a, float b) => Le(a, (double)b);

    /// <inheritdoc cref="Eq(Tensor, float)"/>
    public static Tensor operator >=(Tensor a, float b) => Ge(a, (double)b);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator <(float a, Tensor b) => Gt(b, (double)a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >(float a, Tensor b) => Lt(b, (double)a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator <=(float a, Tensor b) => Ge(b, (double)a);

    /// <inheritdoc cref="op_LessThan(double, Tensor)"/>
    public static Tensor operator >=(float a, Tensor b) => Le(b, (double)a);

    private static Tensor CompareTensors<TOperator>(Tensor a, Tensor b)
        where TOperator : IComparisonOperator
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare<TOperator>(a, b, DTypes.ResultType(a, b));
    }

    private static Tensor CompareScalar<TOperator>(Tensor a, double b)
        where TOperator : IComparisonOperator
    {
        ArgumentNullException.ThrowIfNull(a);
        DType promoted = DTypes.PromoteWithScalar(a._dtype, scalarIsFloatingPoint: true);
        return Compare<TOperator>(a, Scalar(b, promoted), promoted);
    }

    private static Tensor CompareScalar<TOperator>(Tensor a, long b)
        where TOperator : IComparisonOperator
    {
        ArgumentNullException.ThrowIfNull(a);
        DType promoted = DTypes.PromoteWithScalar(a._dtype, scalarIsFloatingPoint: false);
        return Compare<TOperator>(a, Operands.Scalar(b, promoted), promoted);
    }

    /// <summary>
    /// Compares in <paramref name="promoted"/>: bools as int32 (false &lt; true), float16 and bfloat16 rounded to their
    /// type first, then widened to float32 exactly. Records nothing: a comparison has no gradient.
    /// </summary>
    private static Tensor Compare<TOperator>(Tensor a, Tensor b, DType promoted)
        where TOperator : IComparisonOperator
    {
        int[] shape = Broadcasting.Shapes(a._shape, b._shape);
        var output = new bool[Autograd.Shape.ElementCountOf(shape)];
        switch (promoted)
        {
            case DType.Float32: CompareAs<TOperator, float>(a, b, DType.Float32, shape, output); break;
            case DType.Float64: CompareAs<TOperator, double>(a, b, DType.Float64, shape, output); break;
            case DType.Int64: CompareAs<TOperator, long>(a, b, DType.Int64, shape, output); break;
            case DType.Int32: CompareAs<TOperator, int>(a, b, DType.Int32, shape, output); break;
            case DType.Bool: CompareAs<TOperator, int>(a, b, DType.Int32, shape, output); break;
            case DType.Float16:
            case DType.BFloat16:
                CompareAs<TOperator, float>(a.ConvertedTo(promoted), b.ConvertedTo(promoted), DType.Float32, shape, output);
                break;
            default:
                throw NotImplementedFor(promoted, TOperator.Name);
        }

        return new Tensor(output, DType.Bool, shape);
    }

    private static void CompareAs<TOperator, T>(Tensor a, Tensor b, DType dtype, int[] shape, bool[] output)
        where TOperator : IComparisonOperator
        where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<T> x = Operands.Read<T>(a, dtype, shape);
        if (b._count == 1 && b.Rank == 0 && output.Length > 0)
        {
            // A 0-d right operand (a C# number, or PyTorch's 0-d tensor) is read once, not broadcast into a buffer.
            T y = Operands.Read<T>(b, dtype, [])[0];
            Comparison.Compare<TOperator, T>(x, y, output);
        }
        else
        {
            Comparison.Compare<TOperator, T>(x, Operands.Read<T>(b, dtype, shape), output);
        }
    }
}
