namespace Autograd;

public sealed partial class Tensor
{
    private static Tensor Filled(ReadOnlySpan<int> shape, float value, bool requiresGrad)
    {
        int[] dims = Autograd.Shape.Validate(shape);
        int count = Autograd.Shape.ElementCountOf(dims);
        float[] data = value == 0f ? Kernels.BufferPool.RentZeroed(count) : Kernels.BufferPool.RentUninitialized(count);
        if (value != 0f)
        {
            data.AsSpan().Fill(value);
        }

        return new Tensor(data, dims) { _requiresGrad = requiresGrad };
    }

    /// <summary>A tensor of zeros (PyTorch's <c>torch.zeros</c>).</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Filled(shape, 0f, false);

    /// <inheritdoc cref="Zeros(ReadOnlySpan{int})"/>
    public static Tensor Zeros(ReadOnlySpan<int> shape, bool requiresGrad) => Filled(shape, 0f, requiresGrad);

    /// <summary>A tensor of ones (PyTorch's <c>torch.ones</c>).</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Filled(shape, 1f, false);

    /// <inheritdoc cref="Ones(ReadOnlySpan{int})"/>
    public static Tensor Ones(ReadOnlySpan<int> shape, bool requiresGrad) => Filled(shape, 1f, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/> (PyTorch's <c>torch.full</c>).</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, float value, bool requiresGrad = false) => Filled(shape, value, requiresGrad);

    /// <summary>A 0-d tensor holding <paramref name="value"/> (PyTorch's <c>torch.tensor(value)</c>).</summary>
    public static Tensor Scalar(float value, bool requiresGrad = false) =>
        new([value], Autograd.Shape.ScalarDims) { _requiresGrad = requiresGrad };

    /// <summary>A 1-d tensor holding a copy of <paramref name="data"/> (PyTorch's <c>torch.tensor([...])</c>).</summary>
    public static Tensor From(ReadOnlySpan<float> data, bool requiresGrad = false) =>
        new(data.ToArray(), [data.Length]) { _requiresGrad = requiresGrad };

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> in row-major order.</summary>
    public static Tensor From(ReadOnlySpan<float> data, ReadOnlySpan<int> shape, bool requiresGrad = false)
    {
        int[] dims = Autograd.Shape.Validate(shape);
        if (Autograd.Shape.ElementCountOf(dims) != data.Length)
        {
            throw new ArgumentException($"shape '{Autograd.Shape.Format(dims)}' is invalid for input of size {data.Length}", nameof(shape));
        }

        return new Tensor(data.ToArray(), dims) { _requiresGrad = requiresGrad };
    }

    /// <summary>A 2-d tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(float[,] data, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.GetLength(0), columns = data.GetLength(1);
        var values = new float[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                values[(i * columns) + j] = data[i, j];
            }
        }

        return new Tensor(values, [rows, columns]) { _requiresGrad = requiresGrad };
    }

    /// <summary>A range bound as PyTorch's message prints it (<c>nan</c>, <c>inf</c>, <c>0</c>, <c>2.5</c>).</summary>
    private static string RangeBound(float value) =>
        float.IsNaN(value) ? "nan" : float.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("G", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Values <c>0, 1, …, end-1</c> (PyTorch's <c>torch.arange(end)</c>).</summary>
    public static Tensor Arange(float end, bool requiresGrad = false) => Arange(0f, end, 1f, requiresGrad);

    /// <summary>Values from <paramref name="start"/> up to (excluding) <paramref name="end"/> in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(float start, float end, float step = 1f, bool requiresGrad = false)
    {
        if (step == 0f || float.IsNaN(step))
        {
            throw new ArgumentException("step must be nonzero", nameof(step));
        }

        if (!float.IsFinite(start) || !float.IsFinite(end))
        {
            throw new ArgumentException($"unsupported range: {RangeBound(start)} -> {RangeBound(end)}", nameof(end));
        }

        if ((end - start) / step < 0)
        {
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign", nameof(step));
        }

        double length = Math.Ceiling(((double)end - start) / step);
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"arange would create {length} elements, more than a tensor can hold.", nameof(end));
        }

        var data = new float[(int)length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(start + ((double)i * step));
        }

        return new Tensor(data, [data.Length]) { _requiresGrad = requiresGrad };
    }

    /// <summary>An n×n identity matrix (PyTorch's <c>torch.eye</c>).</summary>
    public static Tensor Eye(int n, bool requiresGrad = false) => Eye(n, n, requiresGrad);

    /// <summary>An n×m matrix with ones on the diagonal.</summary>
    public static Tensor Eye(int n, int m, bool requiresGrad = false)
    {
        Tensor result = Filled([n, m], 0f, requiresGrad);
        for (int i = 0; i < Math.Min(n, m); i++)
        {
            result.Data[(i * m) + i] = 1f;
        }

        return result;
    }

    /// <summary>Standard normal samples from the default generator (PyTorch's <c>torch.randn</c>).</summary>
    public static Tensor Randn(params ReadOnlySpan<int> shape) => Randn(shape, false, null);

    /// <summary>Standard normal samples.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <param name="generator">A generator to draw from; null for the default one (see <see cref="ManualSeed"/>).</param>
    public static Tensor Randn(ReadOnlySpan<int> shape, bool requiresGrad = false, Generator? generator = null)
    {
        Tensor result = Filled(shape, 0f, requiresGrad);
        Draw(generator, g => g.FillNormal(result.Data));
        return result;
    }

    /// <summary>Uniform samples in [0, 1) from the default generator (PyTorch's <c>torch.rand</c>).</summary>
    public static Tensor Rand(params ReadOnlySpan<int> shape) => Rand(shape, false, null);

    /// <summary>Uniform samples in [0, 1).</summary>
    /// <param name="shape">The dimensions.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <param name="generator">A generator to draw from; null for the default one (see <see cref="ManualSeed"/>).</param>
    public static Tensor Rand(ReadOnlySpan<int> shape, bool requiresGrad = false, Generator? generator = null)
    {
        Tensor result = Filled(shape, 0f, requiresGrad);
        Draw(generator, g => g.FillUniform(result.Data, 0f, 1f));
        return result;
    }

    /// <summary>Uniform samples in [low, high) (PyTorch's <c>uniform_</c>, used by module initialisation).</summary>
    public static Tensor Uniform(ReadOnlySpan<int> shape, float low, float high, bool requiresGrad = false, Generator? generator = null)
    {
        Tensor result = Filled(shape, 0f, requiresGrad);
        Draw(generator, g => g.FillUniform(result.Data, low, high));
        return result;
    }

    private static void Draw(Generator? generator, Action<Generator> fill)
    {
        if (generator is not null)
        {
            fill(generator);
            return;
        }

        lock (Generator.Default)
        {
            fill(Generator.Default);
        }
    }

    /// <summary>Seeds the default generator (PyTorch's <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(long seed)
    {
        lock (Generator.Default)
        {
            Generator.Default.Seed(seed);
        }
    }

    /// <summary>Zeros with the shape and dtype of <paramref name="other"/> (PyTorch's <c>zeros_like</c>).</summary>
    public static Tensor ZerosLike(Tensor other, bool requiresGrad = false) =>
        other._dtype == DType.Float32 ? Filled(other._shape, 0f, requiresGrad) : ZerosLike(other, other._dtype, requiresGrad);

    /// <summary>Ones with the shape and dtype of <paramref name="other"/> (PyTorch's <c>ones_like</c>).</summary>
    public static Tensor OnesLike(Tensor other, bool requiresGrad = false) =>
        other._dtype == DType.Float32 ? Filled(other._shape, 1f, requiresGrad) : OnesLike(other, other._dtype, requiresGrad);

    /// <summary>A contiguous copy of the elements that records nothing and requires no grad.</summary>
    internal Tensor CloneData()
    {
        if (_dtype != DType.Float32)
        {
            Tensor copy = ContiguousCopyOfAnyDType();
            if (ReferenceEquals(copy._storage, _storage))
            {
                Array storage = _dtype.NewArray(_count);
                Array.Copy(_storage, _offset, storage, 0, _count);
                return new Tensor(storage, _dtype, _shape);
            }

            return copy;
        }

        if (_strides is not null)
        {
            return new Tensor(Kernels.Broadcast.Materialize(this, _shape), _shape);
        }

        float[] data = Kernels.BufferPool.RentUninitialized(_count);
        AsReadOnlySpan().CopyTo(data);
        return new Tensor(data, _shape);
    }
}
