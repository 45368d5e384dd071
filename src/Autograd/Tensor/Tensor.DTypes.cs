using System.Numerics;
using System.Runtime.CompilerServices;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>A tensor of <paramref name="dtype"/> filled with <paramref name="value"/>, converted as PyTorch's <c>full</c> does.</summary>
    private static Tensor Filled(ReadOnlySpan<int> shape, double value, DType dtype, bool requiresGrad)
    {
        if (dtype == DType.Float32)
        {
            return Filled(shape, (float)value, requiresGrad);
        }

        int[] dims = Autograd.Shape.Validate(shape);
        Array storage = dtype.NewArray(Autograd.Shape.ElementCountOf(dims));
        if (value != 0)
        {
            Kernels.Conversion.Fill(storage, value);
        }

        return new Tensor(storage, dtype, dims).WithRequiresGrad(requiresGrad);
    }

    /// <summary>Sets <see cref="RequiresGrad"/> on a new leaf, with PyTorch's check that its dtype can require grad.</summary>
    private Tensor WithRequiresGrad(bool requiresGrad)
    {
        if (requiresGrad)
        {
            RequiresGrad = true;
        }

        return this;
    }

    /// <summary>Zeros of <paramref name="dtype"/> (PyTorch's <c>torch.zeros(..., dtype=...)</c>).</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype, bool requiresGrad = false) => Filled(shape, 0, dtype, requiresGrad);

    /// <summary>Ones of <paramref name="dtype"/> (PyTorch's <c>torch.ones(..., dtype=...)</c>).</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype, bool requiresGrad = false) => Filled(shape, 1, dtype, requiresGrad);

    /// <summary><paramref name="value"/> everywhere, as <paramref name="dtype"/> (PyTorch's <c>torch.full(..., dtype=...)</c>).</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype, bool requiresGrad = false) => Filled(shape, value, dtype, requiresGrad);

    /// <summary>A 0-d tensor of <paramref name="dtype"/> holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype, bool requiresGrad = false) =>
        Filled(Autograd.Shape.ScalarDims, value, dtype, requiresGrad);

    /// <summary>Zeros with the shape of <paramref name="other"/> and the given dtype.</summary>
    public static Tensor ZerosLike(Tensor other, DType dtype, bool requiresGrad = false) => Filled(other._shape, 0, dtype, requiresGrad);

    /// <summary>Ones with the shape of <paramref name="other"/> and the given dtype.</summary>
    public static Tensor OnesLike(Tensor other, DType dtype, bool requiresGrad = false) => Filled(other._shape, 1, dtype, requiresGrad);

    /// <summary><c>start, start + step, …</c> below <paramref name="end"/>, as <paramref name="dtype"/> (PyTorch's <c>torch.arange(..., dtype=...)</c>).</summary>
    public static Tensor Arange(double start, double end, double step, DType dtype, bool requiresGrad = false)
    {
        if (step == 0 || double.IsNaN(step))
        {
            throw new ArgumentException("step must be nonzero", nameof(step));
        }

        if (!double.IsFinite(start) || !double.IsFinite(end))
        {
            throw new ArgumentException("unsupported range: " + start + " -> " + end, nameof(end));
        }

        if ((step > 0 && end < start) || (step < 0 && end > start))
        {
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign", nameof(step));
        }

        int count = checked((int)Math.Ceiling((end - start) / step));
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = start + (i * step);
        }

        return From(values, [count]).To(dtype).WithRequiresGrad(requiresGrad);
    }

    /// <summary><c>0, 1, …, end − 1</c> as <paramref name="dtype"/>, e.g. int64 indices (PyTorch's <c>torch.arange(end, dtype=...)</c>).</summary>
    public static Tensor Arange(long end, DType dtype) => Arange(0, end, 1, dtype);

    /// <summary>The identity matrix as <paramref name="dtype"/>.</summary>
    public static Tensor Eye(int n, DType dtype, bool requiresGrad = false) => Eye(n, n, requiresGrad).To(dtype).WithRequiresGrad(requiresGrad);

    /// <summary>Standard normal samples as <paramref name="dtype"/> (a floating type).</summary>
    public static Tensor Randn(ReadOnlySpan<int> shape, DType dtype, bool requiresGrad = false, Generator? generator = null)
    {
        RequireFloatingForRandom(dtype, "normal_kernel_cpu");
        if (dtype == DType.Float32)
        {
            return Randn(shape, requiresGrad, generator);
        }

        int[] dims = Autograd.Shape.Validate(shape);
        var values = new double[Autograd.Shape.ElementCountOf(dims)];
        (generator ?? Generator.Default).FillNormal(values);
        return FromDoubles(values, dims, dtype).WithRequiresGrad(requiresGrad);
    }

    /// <summary>Samples uniform in [0, 1) as <paramref name="dtype"/> (a floating type).</summary>
    public static Tensor Rand(ReadOnlySpan<int> shape, DType dtype, bool requiresGrad = false, Generator? generator = null) =>
        Uniform(shape, 0, 1, dtype, requiresGrad, generator);

    /// <summary>Samples uniform in [low, high) as <paramref name="dtype"/> (a floating type).</summary>
    public static Tensor Uniform(ReadOnlySpan<int> shape, double low, double high, DType dtype, bool requiresGrad = false, Generator? generator = null)
    {
        RequireFloatingForRandom(dtype, "check_uniform_bounds");
        if (dtype == DType.Float32)
        {
            return Uniform(shape, (float)low, (float)high, requiresGrad, generator);
        }

        int[] dims = Autograd.Shape.Validate(shape);
        var values = new double[Autograd.Shape.ElementCountOf(dims)];
        (generator ?? Generator.Default).FillUniform(values, low, high);
        return FromDoubles(values, dims, dtype).WithRequiresGrad(requiresGrad);
    }

    private static void RequireFloatingForRandom(DType dtype, string kernel)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new NotSupportedException($"\"{kernel}\" not implemented for '{dtype.ScalarTypeName()}'");
        }
    }

    private static Tensor FromDoubles(double[] values, int[] dims, DType dtype) =>
        dtype == DType.Float64 ? new Tensor(values, DType.Float64, dims) : new Tensor(values, DType.Float64, dims).To(dtype);

    /// <summary>A 1-d float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<double> data, bool requiresGrad = false) => From(data, [data.Length], requiresGrad);

    /// <summary>A float64 tensor of the given shape holding a copy of <paramref name="data"/> in row-major order.</summary>
    public static Tensor From(ReadOnlySpan<double> data, ReadOnlySpan<int> shape, bool requiresGrad = false) =>
        FromSpan(data, shape).WithRequiresGrad(requiresGrad);

    /// <summary>A 1-d int64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<long> data) => FromSpan(data, [data.Length]);

    /// <summary>An int64 tensor of the given shape holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<long> data, ReadOnlySpan<int> shape) => FromSpan(data, shape);

    /// <summary>A 1-d int32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<int> data) => FromSpan(data, [data.Length]);

    /// <summary>An int32 tensor of the given shape holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<int> data, ReadOnlySpan<int> shape) => FromSpan(data, shape);

    /// <summary>A 1-d bool tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<bool> data) => FromSpan(data, [data.Length]);

    /// <summary>A bool tensor of the given shape holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<bool> data, ReadOnlySpan<int> shape) => FromSpan(data, shape);

    /// <summary>A 1-d float16 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<Half> data) => FromSpan(data, [data.Length]);

    /// <summary>A 3-d float32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(float[,,] data, bool requiresGrad = false) => FromMultidimensional<float>(data).WithRequiresGrad(requiresGrad);

    /// <summary>A 2-d float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(double[,] data, bool requiresGrad = false) => FromMultidimensional<double>(data).WithRequiresGrad(requiresGrad);

    /// <summary>A 3-d float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(double[,,] data, bool requiresGrad = false) => FromMultidimensional<double>(data).WithRequiresGrad(requiresGrad);

    /// <summary>A 2-d int64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(long[,] data) => FromMultidimensional<long>(data);

    /// <summary>A 2-d int32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(int[,] data) => FromMultidimensional<int>(data);

    /// <summary>A 2-d bool tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(bool[,] data) => FromMultidimensional<bool>(data);

    /// <summary>A tensor of <typeparamref name="T"/>'s dtype holding a copy of <paramref name="data"/>.</summary>
    internal static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape)
    {
        int[] dims = Autograd.Shape.Validate(shape);
        if (Autograd.Shape.ElementCountOf(dims) != data.Length)
        {
            throw new ArgumentException($"shape '{Autograd.Shape.Format(dims)}' is invalid for input of size {data.Length}", nameof(shape));
        }

        DType dtype = DTypes.Of<T>();
        T[] storage = data.ToArray();
        return dtype == DType.Float32 ? new Tensor(Unsafe.As<float[]>(storage), dims) : new Tensor(storage, dtype, dims);
    }

    private static Tensor FromMultidimensional<T>(Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] dims = new int[data.Rank];
        for (int d = 0; d < dims.Length; d++)
        {
            dims[d] = data.GetLength(d);
        }

        // A multi-dimensional array is stored row-major, so its elements enumerate in the tensor's order.
        var values = new T[data.Length];
        int i = 0;
        foreach (T value in data)
        {
            values[i++] = value;
        }

        return FromSpan<T>(values, dims);
    }

    /// <summary>
    /// This tensor converted to <paramref name="dtype"/> (PyTorch's <c>tensor.to(dtype)</c>): itself when the dtype is
    /// already that, else a copy. Float to integer truncates toward zero; to bool is <c>value != 0</c>. Recorded for
    /// autograd between floating types (the gradient is converted back).
    /// </summary>
    public Tensor To(DType dtype)
    {
        Tensor output = ConvertedTo(dtype);
        return !ReferenceEquals(output, this) && GradMode.ShouldRecord(this) && dtype.IsFloatingPoint()
            ? output.WithGradFn(new ToCopyBackward(this))
            : output;
    }

    /// <summary>This tensor as <paramref name="dtype"/>: itself if it already is, else a contiguous copy; records nothing.</summary>
    internal Tensor ConvertedTo(DType dtype)
    {
        if (dtype == _dtype)
        {
            return this;
        }

        Tensor source = _strides is null ? this : ContiguousCopyOfAnyDType();
        Array storage = dtype.NewArray(_count);
        Kernels.Conversion.Convert(source._storage, source._offset, storage, 0, _count);
        return dtype == DType.Float32 ? new Tensor(Unsafe.As<float[]>(storage), _shape) : new Tensor(storage, dtype, _shape);
    }

    /// <summary>As float32 (PyTorch's <c>tensor.float()</c>).</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary>As float64 (PyTorch's <c>tensor.double()</c>).</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary>As int64 (PyTorch's <c>tensor.long()</c>).</summary>
    public Tensor Long() => To(DType.Int64);

    /// <summary>As int32 (PyTorch's <c>tensor.int()</c>).</summary>
    public Tensor Int() => To(DType.Int32);

    /// <summary>As bool (PyTorch's <c>tensor.bool()</c>).</summary>
    public Tensor Bool() => To(DType.Bool);

    /// <summary>As float16 (PyTorch's <c>tensor.half()</c>).</summary>
    public Tensor Half() => To(DType.Float16);

    /// <summary>As bfloat16 (PyTorch's <c>tensor.bfloat16()</c>).</summary>
    public Tensor BFloat16() => To(DType.BFloat16);

    /// <summary>
    /// The single value of a one-element tensor as <typeparamref name="T"/> (PyTorch's <c>item()</c>), converted from
    /// the tensor's dtype as a C# cast would (bool converts to and from 0 and 1).
    /// </summary>
    public T Item<T>()
        where T : INumberBase<T>
    {
        if (_count != 1)
        {
            throw new InvalidOperationException($"a Tensor with {_count} elements cannot be converted to Scalar");
        }

        return Kernels.Conversion.Read<T>(_storage, _offset);
    }

    /// <summary>The single value of a one-element bool tensor.</summary>
    public bool ItemBool() => Item<double>() != 0;

    /// <summary>
    /// The elements, row-major, in a new array of <typeparamref name="T"/>: the storage's own type (float for float32,
    /// double, long, int, bool, Half), or a conversion to it.
    /// </summary>
    public T[] ToArray<T>()
    {
        Tensor source = _strides is null ? this : ContiguousCopyOfAnyDType();
        DType target = DTypes.Of<T>();
        var values = new T[_count];
        if (target == _dtype)
        {
            Array.Copy(source._storage, source._offset, values, 0, _count);
        }
        else
        {
            Kernels.Conversion.Convert(source._storage, source._offset, values, 0, _count);
        }

        return values;
    }

    /// <summary>A row-major copy of this tensor, of any dtype, recording nothing.</summary>
    internal Tensor ContiguousCopyOfAnyDType()
    {
        if (_dtype == DType.Float32)
        {
            return new Tensor(Kernels.Broadcast.Materialize(this, _shape), _shape);
        }

        Array storage = _dtype.NewArray(_count);
        Kernels.Conversion.CopyStrided(_storage, _offset, _shape, _strides ?? Autograd.Shape.ContiguousStrides(_shape), storage);
        return new Tensor(storage, _dtype, _shape);
    }
}

/// <summary><c>out = to(x, dtype)</c> between floating types: ∂L/∂x = g converted back to x's dtype.</summary>
internal sealed class ToCopyBackward(Tensor x) : Node(x)
{
    private readonly DType _inputDType = x._dtype;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.To(_inputDType)];
}
