using System.Runtime.CompilerServices;

namespace Autograd;

/// <summary>
/// An n-dimensional float32 array that records the operations applied to it, so that
/// <see cref="Backward"/> can compute gradients (PyTorch's <c>torch.Tensor</c> with autograd).
/// </summary>
/// <remarks>
/// Storage is a flat array plus shape, strides and offset; <see cref="Detach"/>, <see cref="Reshape"/>,
/// <see cref="Transpose"/> and <see cref="Expand"/> return views that share it. Row-major contiguous
/// tensors (strides <c>null</c>) take the fast paths; other views are materialised by the kernels that need it.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>The flat storage: a float[], double[], long[], int[], bool[], Half[] or (bfloat16) ushort[].</summary>
    private readonly Array _storage;

    /// <summary>The element type; decides the type of <see cref="_storage"/>.</summary>
    internal readonly DType _dtype;
    internal readonly int _offset;
    internal readonly int[] _shape;

    /// <summary>Element strides, or null for row-major contiguous.</summary>
    internal readonly int[]? _strides;

    internal readonly int _count;

    /// <summary>
    /// The backward pass that was running on this thread when this tensor's fresh storage was created, or null (views,
    /// and every tensor made outside a pass): the engine treats a gradient as its own only if its own pass made it (see
    /// <see cref="GraphTask"/>).
    /// </summary>
    internal readonly GraphTask? _madeBy;

    /// <summary>The tensor whose storage this view shares, or null when this tensor owns it.</summary>
    private readonly Tensor? _base;

    /// <summary>In-place modifications of the storage so far; kept on the storage's owner, shared by its views.</summary>
    private int _version;

    /// <summary>
    /// Set on a view taken under no-grad of a tensor that requires grad: writing through it with grad mode on is
    /// refused (PyTorch's rule), because it is unclear whether the write should be recorded.
    /// </summary>
    internal bool _noGradViewOfGradBase;

    /// <summary>True for <see cref="Detach"/>'s alias: it shares storage but, as in PyTorch, is no view for autograd.</summary>
    private bool _detachedAlias;

    /// <summary>Created under <see cref="GradMode.InferenceMode"/>: never saved for backward, no versions counted.</summary>
    internal bool _inference;

    private bool _requiresGrad;
    internal Node? _gradFn;

    /// <summary>The node that made this tensor, kept when an in-place update later replaces <see cref="_gradFn"/> (errors name it).</summary>
    internal Node? _producer;
    private Tensor? _grad;
    private AccumulateGrad? _accumulator;
    internal bool _overwritesGrad;

    /// <summary>
    /// Returns large storage to the pool once the array is unreachable (see <see cref="Kernels.StorageLease"/>); held here
    /// only so the engine can disarm it when it returns the storage itself. Null for small storage and views.
    /// </summary>
    private Kernels.StorageLease? _lease;

    /// <summary>Wraps a freshly allocated array that no other tensor shares, and records the pass that made it.</summary>
    internal Tensor(float[] data, int[] shape)
        : this(data, 0, shape, null)
    {
        _madeBy = GraphTask.Applying;
        _inference = GradMode.Inference;
        if (data.Length >= Kernels.BufferPool.LeaseLength && Memory.RecycleUnreachableStorage)
        {
            _lease = new Kernels.StorageLease(data);
        }
    }

    /// <summary>This owner's lease (for tests).</summary>
    internal Kernels.StorageLease? Lease => _lease;

    /// <summary>Gives this tensor's storage back to the pool now; the caller guarantees nothing references it.</summary>
    internal void ReturnStorage()
    {
        if (_storage is not float[] floats)
        {
            return;   // the pool holds float32 arrays only; other storage is left to the collector
        }

        Tensor owner = _base ?? this;
        owner._lease?.Disarm();
        owner._lease = null;
        Kernels.BufferPool.Return(floats);
    }

    /// <summary>Wraps a freshly allocated array of <paramref name="dtype"/>'s storage type that no other tensor shares.</summary>
    internal Tensor(Array storage, DType dtype, int[] shape)
    {
        System.Diagnostics.Debug.Assert(storage.GetType().GetElementType() == dtype.StorageType(), "storage of another dtype");
        if (dtype == DType.Float32)
        {
            throw new ArgumentException("float32 storage goes through Tensor(float[], int[]).", nameof(dtype));
        }

        _storage = storage;
        _dtype = dtype;
        _shape = shape;
        _count = Autograd.Shape.ElementCountOf(shape);
        _madeBy = GraphTask.Applying;
        _inference = GradMode.Inference;
    }

    /// <summary>
    /// A view of <paramref name="source"/>'s storage: it shares the storage's version counter. Strides that are
    /// row-major for <paramref name="shape"/> (ignoring size-1 dimensions, as PyTorch's <c>is_contiguous</c> does) are
    /// stored as null, so every view that happens to be contiguous takes the contiguous fast paths.
    /// </summary>
    internal Tensor(Tensor source, int offset, int[] shape, int[]? strides)
    {
        _storage = source._storage;
        _dtype = source._dtype;
        _shape = shape;
        _strides = strides is not null && Autograd.Shape.IsContiguous(shape, strides) ? null : strides;
        _count = Autograd.Shape.ElementCountOf(shape);

        // An empty view may start past the end of the storage (x[3:, 4:] of a 3×4 tensor starts at 16); nothing is
        // read through it, but spans over it must stay in bounds.
        _offset = _count == 0 ? Math.Min(offset, _storage.Length) : offset;
        _base = source._base ?? source;
        _inference = source._inference;
    }

    /// <summary>
    /// A tensor over <paramref name="data"/> that neither owns nor leases it: the caller keeps the array's owner
    /// reachable for as long as this tensor is used.
    /// </summary>
    internal Tensor(float[] data, int offset, int[] shape, int[]? strides)
    {
        _storage = data;
        _dtype = DType.Float32;
        _shape = shape;
        _strides = strides;
        _count = Autograd.Shape.ElementCountOf(shape);

        // An empty view may start past the end of the storage (x[3:, 4:] of a 3×4 tensor starts at 16); nothing is
        // read through it, but spans over it must stay in bounds.
        _offset = _count == 0 ? Math.Min(offset, data.Length) : offset;
    }

    /// <summary>The element type (PyTorch's <c>tensor.dtype</c>).</summary>
    public DType DType => _dtype;

    /// <summary>
    /// The float32 storage. Code that reaches it for a tensor of another dtype is an op without a path for that dtype:
    /// it throws PyTorch's "not implemented for" error instead of reading the storage as floats.
    /// </summary>
    internal float[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _dtype == DType.Float32 ? Unsafe.As<float[]>(_storage) : throw NotImplementedFor(_dtype);
    }

    /// <summary>The storage as <typeparamref name="T"/>[] (T must be the dtype's storage type).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] StorageOf<T>()
    {
        if (_storage is T[] typed)
        {
            return typed;
        }

        throw new InvalidOperationException($"expected a tensor of {DTypes.Of<T>().TorchName()}, got {_dtype.TorchName()}");
    }

    /// <summary>The raw storage array (any element type).</summary>
    internal Array Storage => _storage;

    /// <summary>PyTorch's error for an operation that has no kernel for <paramref name="dtype"/>.</summary>
    internal static NotSupportedException NotImplementedFor(DType dtype, string? op = null) =>
        new($"\"{op ?? "this operation"}\" not implemented for '{dtype.ScalarTypeName()}'");

    /// <summary>The dimensions (PyTorch's <c>tensor.shape</c>).</summary>
    public Shape Shape => new(_shape);

    /// <summary>Number of dimensions (PyTorch's <c>tensor.dim()</c>).</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements (PyTorch's <c>tensor.numel()</c>).</summary>
    public int Count => _count;

    /// <summary>
    /// Whether the elements lie in storage in row-major order without gaps (PyTorch's <c>is_contiguous()</c>): true for
    /// fresh tensors and for views such as <c>x[1..3]</c>; false for e.g. <see cref="T"/> of a matrix or a column
    /// slice. Dimensions of size 1 are ignored, and a tensor with no elements is contiguous.
    /// </summary>
    public bool IsContiguous => _strides is null;

    /// <summary>True when every element is one stored value (a 0-d tensor or a zero-stride broadcast of one), returned in <paramref name="value"/>.</summary>
    internal bool IsUniform(out float value)
    {
        if (_dtype != DType.Float32)
        {
            value = 0f;
            return false;
        }

        value = _count == 0 ? 0f : Data[_offset];
        if (_count <= 1)
        {
            return _count == 1;
        }

        if (_strides is null)
        {
            return false;
        }

        foreach (int stride in _strides)
        {
            if (stride != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether gradients are computed for this tensor. Settable only on leaves (PyTorch's <c>requires_grad_()</c>).
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (_gradFn is not null)
            {
                if (value)
                {
                    return;
                }

                throw new InvalidOperationException(
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            }

            if (value && !_dtype.IsFloatingPoint())
            {
                throw new InvalidOperationException("only Tensors of floating point and complex dtype can require gradients");
            }

            if (value && _inference && !GradMode.Inference)
            {
                throw new InvalidOperationException("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>True for tensors created by the user rather than recorded by an operation.</summary>
    public bool IsLeaf => _gradFn is null;

    /// <summary>The node that created this tensor, or null for a leaf (PyTorch's <c>grad_fn</c>).</summary>
    public Node? GradFn => _gradFn;

    /// <summary>
    /// The accumulated gradient: set by <see cref="Backward"/> on leaves that require grad, and on
    /// non-leaves after <see cref="RetainGrad"/>; null otherwise.
    /// </summary>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            if (value is not null && !value._shape.AsSpan().SequenceEqual(_shape))
            {
                throw new ArgumentException(
                    $"assigned grad has data of a different size: expected {Autograd.Shape.Format(_shape)}, got {Autograd.Shape.Format(value._shape)}", nameof(value));
            }

            _grad = value;
        }
    }

    /// <summary>Whether <see cref="RetainGrad"/> was called on this non-leaf.</summary>
    public bool RetainsGrad => _gradFn is not null && _gradFn.RetainedOutput == this;

    /// <summary>Keeps the gradient of this non-leaf in <see cref="Grad"/> during backward passes.</summary>
    public void RetainGrad()
    {
        if (!_requiresGrad)
        {
            throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        }

        if (_gradFn is not null)
        {
            _gradFn.RetainedOutput = this;
        }
    }

    /// <summary>
    /// MXNet's <c>attach_grad()</c>: makes this tensor a leaf that requires grad (a non-leaf is detached in place),
    /// with a zero gradient buffer that each backward pass overwrites instead of accumulating into.
    /// </summary>
    public void AttachGrad()
    {
        if (_gradFn is not null)
        {
            if (_gradFn.RetainedOutput == this)
            {
                _gradFn.RetainedOutput = null;
            }

            _gradFn = null;
        }

        _accumulator = null;
        _requiresGrad = true;
        _overwritesGrad = true;
        _grad = ZerosLike(this);
    }

    /// <summary>A tensor that shares this one's storage but is cut from the graph (PyTorch's <c>detach()</c>).</summary>
    public Tensor Detach() => new(this, _offset, _shape, _strides) { _detachedAlias = true };

    /// <summary>
    /// How many times the storage was modified in place (PyTorch's <c>_version</c>). A backward pass refuses to use a
    /// saved tensor whose version changed since it was saved, instead of computing a wrong gradient.
    /// </summary>
    public int Version => (_base ?? this)._version;

    internal void BumpVersion()
    {
        if (!_inference)
        {
            (_base ?? this)._version++;   // inference tensors keep no version counter, as PyTorch's
        }
    }

    internal AccumulateGrad Accumulator => _accumulator ??= new AccumulateGrad(this);

    /// <summary>The graph edge that leads to this tensor's gradient, or null if it needs none.</summary>
    internal Node? GradientEdge => _gradFn ?? (_requiresGrad ? Accumulator : null);

    internal Tensor WithGradFn(Node node)
    {
        _producer ??= node;
        _gradFn = node;
        _requiresGrad = true;
        return this;
    }

    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph leaves and accumulates it into their
    /// <see cref="Grad"/> (PyTorch's <c>tensor.backward()</c>).
    /// </summary>
    /// <param name="gradient">The gradient of the final objective with respect to this tensor; may be omitted for a single-element tensor (ones).</param>
    /// <param name="retainGraph">Keep the saved tensors so the graph can be back-propagated again.</param>
    /// <param name="createGraph">Record the backward computation itself, so that gradients can be differentiated again.</param>
    /// <param name="inputs">When given, only these tensors accumulate a gradient (leaves into <see cref="Grad"/>,
    /// non-leaves as if retained), and only the part of the graph that leads to them runs.</param>
    /// <remarks><paramref name="retainGraph"/> defaults to <paramref name="createGraph"/>, as in PyTorch.</remarks>
    public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false, IReadOnlyList<Tensor>? inputs = null)
    {
        if (inputs is null)
        {
            Engine.Backward(this, gradient, retainGraph ?? createGraph, createGraph);
        }
        else
        {
            Engine.Run([this], [gradient], retainGraph ?? createGraph, createGraph, inputs, captures: false, allowUnused: true);
        }
    }

    /// <summary>The single value of a one-element tensor (PyTorch's <c>item()</c>).</summary>
    public float Item()
    {
        if (_count != 1)
        {
            throw new InvalidOperationException($"a Tensor with {_count} elements cannot be converted to Scalar");
        }

        if (_dtype != DType.Float32)
        {
            return Item<float>();
        }

        float value = Data[_offset];
        return value;
    }

    /// <summary>Copies the elements, row-major, into a new array.</summary>
    public float[] ToArray()
    {
        if (_dtype != DType.Float32)
        {
            return ToArray<float>();
        }

        float[] values = ContiguousData().ToArray();
        return values;
    }

    /// <summary>The element at the given indices (one per dimension; negative indices count from the end).</summary>
    [IndexerName("Element")]
    public float this[params ReadOnlySpan<int> indices]
    {
        get
        {
            int at = ElementOffset(indices);
            float value = _dtype == DType.Float32 ? Data[at] : Kernels.Conversion.Read<float>(_storage, at);
            return value;
        }

        set
        {
            CheckInPlace();
            int at = ElementOffset(indices);
            if (_dtype == DType.Float32)
            {
                Data[at] = value;
            }
            else
            {
                Kernels.Conversion.Write(_storage, at, value);
            }

            BumpVersion();
        }
    }

    private int ElementOffset(ReadOnlySpan<int> indices)
    {
        if (indices.Length != _shape.Length)
        {
            // All-integer indices read one element; fewer than the rank is PyTorch's x[i] (a view), which C# binds here.
            string hint = indices.Length < _shape.Length
                ? $" For the view PyTorch's x[{string.Join(", ", indices.ToArray())}] gives, write x[(TensorIndex){indices[0]}{(indices.Length > 1 ? ", …" : string.Empty)}] or x.Select(0, {indices[0]})."
                : string.Empty;
            throw new ArgumentException($"Expected {_shape.Length} indices for a tensor of shape {Autograd.Shape.Format(_shape)}, got {indices.Length}.{hint}", nameof(indices));
        }

        int offset = _offset;
        int stride = 1;
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            int index = indices[d] < 0 ? indices[d] + _shape[d] : indices[d];
            if ((uint)index >= (uint)_shape[d])
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {indices[d]} is out of bounds for dimension {d} with size {_shape[d]}");
            }

            offset += index * (_strides is null ? stride : _strides[d]);
            stride *= _shape[d];
        }

        return offset;
    }

    /// <summary>
    /// The elements of a contiguous tensor; callers must check <see cref="IsContiguous"/> or call <see cref="Contiguous"/>
    /// first. The span keeps the storage array alive, and storage is recycled only once its array is unreachable
    /// (<see cref="Kernels.StorageLease"/>), so the span stays valid however long it is used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ReadOnlySpan<float> AsReadOnlySpan()
    {
        System.Diagnostics.Debug.Assert(_strides is null, "AsReadOnlySpan on a strided view");
        return new ReadOnlySpan<float>(Data, _offset, _count);
    }

    /// <inheritdoc cref="AsReadOnlySpan"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<float> AsSpan()
    {
        System.Diagnostics.Debug.Assert(_strides is null, "AsSpan on a strided view");
        return new Span<float>(Data, _offset, _count);
    }

    /// <summary>The elements in row-major order: the storage itself when contiguous, else a copy. Records nothing.</summary>
    internal ReadOnlySpan<float> ContiguousData() =>
        _strides is null ? new ReadOnlySpan<float>(Data, _offset, _count) : Kernels.Broadcast.Materialize(this, _shape);

    /// <summary>This tensor if it is row-major contiguous, otherwise a contiguous copy (recorded, like PyTorch's <c>contiguous()</c>).</summary>
    public Tensor Contiguous() => _strides is null ? this : Clone();

    /// <summary>Strides in elements (PyTorch's <c>stride()</c>).</summary>
    public int[] Strides() => _strides is null ? Autograd.Shape.ContiguousStrides(_shape) : (int[])_strides.Clone();

    /// <summary>True when both tensors have the same shape and the same elements (PyTorch's <c>torch.equal</c>).</summary>
    public bool Equal(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!_shape.AsSpan().SequenceEqual(other._shape))
        {
            return false;
        }

        if (_dtype != DType.Float32 || other._dtype != DType.Float32)
        {
            return ToArray<double>().AsSpan().SequenceEqual(other.ToArray<double>());
        }

        bool equal = ContiguousData().SequenceEqual(other.ContiguousData());
        return equal;
    }

    /// <summary>
    /// True when <c>|this - other| ≤ atol + rtol·|other|</c> element-wise, with broadcasting (PyTorch's <c>torch.allclose</c>).
    /// NaNs compare unequal unless <paramref name="equalNan"/>.
    /// </summary>
    public bool AllClose(Tensor other, float rtol = 1e-5f, float atol = 1e-8f, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        int[] shape = Broadcasting.Shapes(_shape, other._shape);
        float[] a = Kernels.Broadcast.Materialize(this, shape);
        float[] b = Kernels.Broadcast.Materialize(other, shape);
        for (int i = 0; i < a.Length; i++)
        {
            float x = a[i], y = b[i];
            if (float.IsNaN(x) || float.IsNaN(y))
            {
                if (!(equalNan && float.IsNaN(x) && float.IsNaN(y)))
                {
                    return false;
                }

                continue;
            }

            if (x == y)
            {
                continue;
            }

            if (!(Math.Abs(x - y) <= atol + (rtol * Math.Abs(y))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats exactly like PyTorch's default printing, e.g. <c>tensor([1., 2.], requires_grad=True)</c>.</summary>
    public override string ToString()
    {
        var suffixes = new List<string>(2);
        if (_dtype is not (DType.Float32 or DType.Int64 or DType.Bool) || (_count == 0 && _dtype != DType.Float32))
        {
            // PyTorch names the dtype unless it is the default float or what the values imply (integers, bools); an
            // empty tensor has no values to imply anything, so only float32 goes unnamed there.
            suffixes.Add("dtype=" + _dtype.TorchName());
        }

        if (_gradFn is not null)
        {
            suffixes.Add($"grad_fn={_gradFn}");
        }
        else if (_requiresGrad)
        {
            suffixes.Add("requires_grad=True");
        }

        string text = _dtype switch
        {
            DType.Float32 => TensorFormatter.Format(ContiguousData(), _shape, suffixes),
            DType.Int64 or DType.Int32 => TensorFormatter.Format(ToArray<long>(), _shape, suffixes),
            DType.Bool => TensorFormatter.Format(ToArray<bool>(), _shape, suffixes),
            _ => TensorFormatter.Format(ToArray<double>(), _shape, suffixes),
        };
        return text;
    }

    /// <summary>Throws PyTorch's error for an in-place write to an inference tensor outside inference mode.</summary>
    internal void CheckInferenceWrite()
    {
        if (_inference && !GradMode.Inference)
        {
            throw new InvalidOperationException(
                "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
        }
    }

    /// <summary>Throws PyTorch's error for an in-place change that autograd cannot follow.</summary>
    internal void CheckInPlace()
    {
        CheckInferenceWrite();
        if (!GradMode.IsEnabled)
        {
            return;
        }

        if (_gradFn is null && _requiresGrad)
        {
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        }

        if (_gradFn is not null && _base is { _gradFn: null, _requiresGrad: true })
        {
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }

        if (_noGradViewOfGradBase)
        {
            throw new InvalidOperationException(
                "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
        }

        if (_gradFn is not null)
        {
            throw new NotSupportedException(
                $"In-place modification of a tensor recorded in the graph (grad_fn={_gradFn}) is not supported; use the out-of-place operator, or modify it under GradMode.NoGrad().");
        }
    }
}
