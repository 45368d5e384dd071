namespace Autograd;

/// <summary>
/// A recorded operation in the graph (PyTorch's <c>torch.autograd.graph.Node</c>): given the gradient of its
/// output, it returns the gradients of its inputs. Prints as <c>&lt;MulBackward&gt;</c>.
/// </summary>
/// <remarks>
/// A node only computes its formula. The engine owns everything else: scheduling, summing each gradient
/// back to its input's shape, validating, accumulating into leaves and releasing saved tensors.
/// </remarks>
public abstract class Node
{
    internal const string FreedMessage =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    // The first two edges live in the node itself (almost every op has one or two inputs), saving an array per node.
    private readonly Edge _edge0;
    private readonly Edge _edge1;
    private readonly Edge[]? _moreEdges;
    private readonly int _inputCount;

    // One per-pass slot, borrowed by the pass in _task while it runs, only on the thread that created the node (see
    // GraphTask); no other pass and no other thread touches it.
    internal readonly int _thread = Environment.CurrentManagedThreadId;
    internal GraphTask? _task;
    internal int _dependencies;
    internal Tensor? _pendingGrad;
    internal bool _pendingOwned;

    /// <summary>Hooks registered on this node or on the tensor it produces; null (the common case) when none.</summary>
    internal NodeHooks? _hooks;

    /// <summary>Creates a node whose inputs are <paramref name="inputs"/>, in the order <see cref="Apply"/> returns gradients.</summary>
    protected Node(params ReadOnlySpan<Tensor> inputs)
    {
        if (GradMode.IsAnomalyEnabled)
        {
            Anomaly.RecordCreation(this);
        }

        _inputCount = inputs.Length;
        if (inputs.Length > 0)
        {
            _edge0 = new Edge(inputs[0].GradientEdge, inputs[0]._shape, inputs[0]._dtype);
        }

        if (inputs.Length > 1)
        {
            _edge1 = new Edge(inputs[1].GradientEdge, inputs[1]._shape, inputs[1]._dtype);
        }

        if (inputs.Length > 2)
        {
            _moreEdges = new Edge[inputs.Length - 2];
            for (int i = 2; i < inputs.Length; i++)
            {
                _moreEdges[i - 2] = new Edge(inputs[i].GradientEdge, inputs[i]._shape, inputs[i]._dtype);
            }
        }
    }

    /// <summary>The operation's name, e.g. <c>MulBackward</c>.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The nodes that receive this node's input gradients, in input order (null where an input needs none).</summary>
    public IReadOnlyList<Node?> NextFunctions
    {
        get
        {
            var functions = new Node?[_inputCount];
            for (int i = 0; i < functions.Length; i++)
            {
                functions[i] = EdgeAt(i).Function;
            }

            return functions;
        }
    }

    internal int InputCount => _inputCount;

    /// <summary>The edge to input <paramref name="index"/>: its gradient's consumer and the input's shape.</summary>
    internal Edge EdgeAt(int index) => index switch
    {
        0 => _edge0,
        1 => _edge1,
        _ => _moreEdges![index - 2],
    };

    /// <summary>A non-leaf output whose gradient is kept, set by <see cref="Tensor.RetainGrad"/>.</summary>
    internal Tensor? RetainedOutput { get; set; }

    /// <summary>Whether this node's saved tensors were released by a backward pass without <c>retainGraph</c>.</summary>
    protected bool IsReleased { get; private set; }

    /// <summary>Whether the gradient for input <paramref name="index"/> is needed by the graph.</summary>
    protected bool NeedsInputGrad(int index) => EdgeAt(index).Function is not null;

    /// <summary>The shape input <paramref name="index"/> had when the node was recorded.</summary>
    protected ReadOnlySpan<int> InputShape(int index) => EdgeAt(index).InputShape;

    /// <summary>
    /// Returns the gradient of each input given the gradient of the output, or null for inputs that need none.
    /// Written with tensor operations so that a pass with <c>createGraph</c> records them.
    /// The result may have the output's broadcast shape: the engine sums it to the input's shape.
    /// </summary>
    protected internal abstract Tensor?[] Apply(Tensor grad);

    /// <summary>Drops references to saved tensors; override in nodes that save any.</summary>
    protected virtual void ReleaseSaved()
    {
    }

    internal void Release()
    {
        IsReleased = true;
        ReleaseSaved();
    }

    /// <summary>
    /// g ⊙ factor. When no graph is being recorded and g is exactly 1 everywhere (the broadcast root gradient of a
    /// sum), the product is the factor itself, bit for bit, so it is returned without a pass over memory. The engine
    /// never writes into a gradient it did not create, so handing out the saved factor is safe.
    /// </summary>
    protected static Tensor Scale(Tensor grad, Tensor factor) =>
        !GradMode.IsEnabled && grad.IsUniform(out float value) && value == 1f && grad._shape.AsSpan().SequenceEqual(factor._shape)
            ? factor
            : grad * factor;

    /// <summary>
    /// g·s. When no graph is being recorded and g is one value broadcast (as a sum's gradient is), the result is that
    /// value times s broadcast the same way: no pass over memory.
    /// </summary>
    protected static Tensor Scale(Tensor grad, float s) =>
        !GradMode.IsEnabled && grad._count > 1 && grad.IsUniform(out float value)
            ? Tensor.Scalar(value * s).Expand(grad._shape)
            : grad * s;

    /// <summary>
    /// g·factor for input <paramref name="input"/>, added straight into the gradient that input already holds when the
    /// engine offers it (<see cref="GradAccumulation"/>: one pass instead of a product and a sum); otherwise as
    /// <see cref="Scale(Tensor, Tensor)"/>.
    /// </summary>
    private protected Tensor ScaleInto(int input, Tensor grad, Tensor factor) =>
        Offers?.MultiplyInto(input, grad, factor) ?? Scale(grad, factor);

    /// <inheritdoc cref="ScaleInto(int, Tensor, Tensor)"/>
    private protected Tensor ScaleInto(int input, Tensor grad, float factor) =>
        Offers?.MultiplyInto(input, grad, factor) ?? Scale(grad, factor);

    /// <summary>The targets the engine offers this node while it runs (see <see cref="GradAccumulation"/>), else null.</summary>
    private protected GradAccumulation? Offers => GraphTask.OffersFor(this);

    /// <summary>
    /// Returns a saved tensor, or throws PyTorch's errors: when the graph was already freed, or when the tensor was
    /// modified in place after it was saved (using it would give a wrong gradient).
    /// </summary>
    protected static Tensor Saved(in SavedTensor saved)
    {
        Tensor tensor = saved.Tensor ?? throw new InvalidOperationException(FreedMessage);
        if (!saved.IsPacked && tensor.Version != saved.Version)
        {
            // PyTorch names the node that made the tensor when it was saved (a later in-place op replaces its grad_fn).
            string origin = tensor._producer is { } producer ? $", which is output 0 of {producer.Name}," : string.Empty;
            throw new InvalidOperationException(
                $"one of the variables needed for gradient computation has been modified by an inplace operation: [{tensor._dtype.LegacyTensorName()} {tensor.Shape}]{origin} is at version {tensor.Version}; expected version {saved.Version} instead.");
        }

        return tensor;
    }

    /// <summary>
    /// Registers a hook that runs on the gradient of this node's output before the node runs, and may return a
    /// replacement of the same shape (or null to keep it) (PyTorch's <c>Node.register_prehook</c>). Dispose the handle
    /// to remove it.
    /// </summary>
    public RemovableHandle RegisterPrehook(Func<Tensor, Tensor?> hook) => NodeHooks.AddPreHook(this, hook);

    /// <summary>
    /// Registers a hook that runs after this node, given the gradients it computed for its inputs and the gradient of
    /// its output, and may return replacements for the former (or null to keep them) (PyTorch's
    /// <c>Node.register_hook</c>). Dispose the handle to remove it.
    /// </summary>
    public RemovableHandle RegisterHook(Func<Tensor?[], Tensor, Tensor?[]?> hook) => NodeHooks.AddPostHook(this, hook);

    /// <summary>Formats as <c>&lt;Name&gt;</c>, as PyTorch prints <c>grad_fn</c>.</summary>
    public override string ToString() => $"<{Name}>";

    internal readonly record struct Edge(Node? Function, int[] InputShape, DType InputDType);
}

/// <summary>The sink node of a leaf that requires grad: accumulates the incoming gradient into <see cref="Tensor.Grad"/>.</summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor leaf)
    {
        Variable = leaf;
    }

    /// <summary>The leaf whose gradient this node accumulates.</summary>
    public Tensor Variable { get; }

    /// <summary>Serialises accumulation into the leaf when passes on several threads share it.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Accumulation is done by the engine; this node has no inputs.</summary>
    protected internal override Tensor?[] Apply(Tensor grad) => [];
}

/// <summary>
/// A tensor a node keeps for its backward formula, with the storage version it had when it was saved. Under
/// <see cref="Autodiff.SavedTensorHooks"/> the node keeps what the pack hook returned instead, and the tensor is
/// unpacked each time the backward reads it.
/// </summary>
public readonly struct SavedTensor
{
    private readonly Tensor? _tensor;
    private readonly object? _packed;
    private readonly Func<object, Tensor>? _unpack;

    private SavedTensor(Tensor? tensor)
    {
        if (tensor is { _inference: true })
        {
            throw new InvalidOperationException(
                "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.");
        }

        Version = tensor?.Version ?? 0;
        if (tensor is not null && SavedTensorHooks.Current is { } hooks)
        {
            _packed = hooks.Pack(tensor) ?? throw new InvalidOperationException("the pack hook of saved tensor hooks returned null");
            _unpack = hooks.Unpack;
            return;
        }

        _tensor = tensor;
    }

    /// <summary>The saved tensor (unpacked, under saved-tensor hooks), or null when nothing is saved or it was released.</summary>
    public Tensor? Tensor => _unpack is null ? _tensor : Unpacked();

    /// <summary>The tensor's version when it was saved.</summary>
    public int Version { get; }

    /// <summary>Whether the tensor went through a pack hook (its version is then not checked, as it may be a copy).</summary>
    internal bool IsPacked => _unpack is not null;

    /// <summary>Saves <paramref name="tensor"/> with its current version.</summary>
    public static implicit operator SavedTensor(Tensor? tensor) => new(tensor);

    /// <summary>Saves <paramref name="tensor"/> with its current version.</summary>
    public static SavedTensor FromTensor(Tensor? tensor) => new(tensor);

    private Tensor Unpacked() =>
        _unpack!(_packed!) ?? throw new InvalidOperationException("the unpack hook of saved tensor hooks returned null");
}
