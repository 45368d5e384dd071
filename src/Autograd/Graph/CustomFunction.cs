namespace Autograd;

/// <summary>
/// An operation whose forward and backward are written by the user on tensors (PyTorch's
/// <c>torch.autograd.Function</c>). Derive from it, implement <see cref="Forward"/> and <see cref="Backward"/>, and
/// call <see cref="Apply"/>: the result joins the graph like a built-in op's. Parameters that are not tensors are
/// fields of the derived class.
/// </summary>
/// <remarks>
/// <see cref="Forward"/> runs with grad mode off; what the backward needs is saved with
/// <see cref="FunctionContext.SaveForBackward"/>, which checks versions as built-in ops do. <see cref="Backward"/> runs
/// with grad mode on exactly when the pass records the graph (<c>createGraph</c>), so a backward written with tensor
/// ops gives higher derivatives too; set <see cref="OnceDifferentiable"/> for one that cannot be differentiated, and
/// differentiating through it raises PyTorch's error instead of returning a wrong answer.
/// <code>
/// sealed class StraightThroughSign : CustomFunction
/// {
///     protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => Tensor.Sign(inputs[0]);
///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput];
/// }
/// Tensor y = new StraightThroughSign().Apply(x);
/// </code>
/// </remarks>
public abstract class CustomFunction
{
    /// <summary>
    /// Whether <see cref="Backward"/> may only be run without recording (PyTorch's <c>@once_differentiable</c>): it then
    /// runs with grad mode off, and a later attempt to differentiate its results raises.
    /// </summary>
    protected virtual bool OnceDifferentiable => false;

    /// <summary>The node's name in <c>grad_fn</c>: the class name followed by <c>Backward</c>, as PyTorch names it.</summary>
    protected virtual string Name => GetType().Name + "Backward";

    /// <summary>Runs <see cref="Forward"/> on <paramref name="inputs"/> and, when recording, attaches its backward.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ctx = new FunctionContext(inputs);
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = Forward(ctx, inputs) ?? throw new InvalidOperationException($"{GetType().Name}.Forward returned null");
        }

        bool record = GradMode.IsEnabled && inputs.Any(t => t.RequiresGrad);
        ctx.Sealed = true;
        if (!record || ctx.IsNonDifferentiable(output))
        {
            return output;
        }

        var node = new CustomFunctionNode(this, ctx, inputs);
        if (ctx.IsDirty(output))
        {
            // Modified in place and returned: the input itself takes the new history, as after a built-in in-place op.
            if (output.IsLeaf && output.RequiresGrad)
            {
                throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
            }

            output.BumpVersion();
            return output.WithGradFn(node);
        }

        // An input returned as it is, or a view of one, becomes a new tensor over the same storage with this history.
        Tensor result = output.IsLeaf && !output.RequiresGrad ? output : output.Detach();
        return result.WithGradFn(node);
    }

    /// <summary>Computes the output from <paramref name="inputs"/> (grad mode is off). Save what <see cref="Backward"/> needs in <paramref name="ctx"/>.</summary>
    protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>
    /// Given the gradient of the output, returns the gradient of each input, in order (null for one that needs none;
    /// <see cref="FunctionContext.NeedsInputGrad"/> tells which are needed). A gradient may have its input's shape or one
    /// that broadcasts to it.
    /// </summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

    internal string NodeName => Name;

    internal Tensor?[] RunBackward(FunctionContext ctx, Tensor gradOutput)
    {
        if (!OnceDifferentiable)
        {
            return Backward(ctx, gradOutput);
        }

        bool recording = GradMode.IsEnabled;
        Tensor?[] grads;
        using (GradMode.NoGrad())
        {
            grads = Backward(ctx, gradOutput);
        }

        if (recording && gradOutput.RequiresGrad)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                grads[i] = grads[i]?.Detach().WithGradFn(new DelayedErrorNode(
                    "trying to differentiate twice a function that was marked with @once_differentiable"));
            }
        }

        return grads;
    }
}

/// <summary>What a <see cref="CustomFunction"/> keeps between its forward and backward (PyTorch's <c>ctx</c>).</summary>
public sealed class FunctionContext
{
    private readonly Tensor[] _inputs;
    private SavedTensor[] _saved = [];
    private HashSet<Tensor>? _dirty;
    private HashSet<Tensor>? _nonDifferentiable;
    private bool _released;

    internal FunctionContext(Tensor[] inputs)
    {
        _inputs = inputs;
        NeedsInputGradFlags = [.. inputs.Select(t => t.RequiresGrad)];
    }

    /// <summary>Whether gradients of undefined outputs are passed as zeros (PyTorch's default, true) or null.</summary>
    public bool MaterializeGrads { get; private set; } = true;

    /// <summary>Whether input <paramref name="index"/> needs a gradient in this graph.</summary>
    public bool NeedsInputGrad(int index) => NeedsInputGradFlags[index];

    /// <summary>Values for the backward that are not tensors (shapes, flags); any object.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>();

    /// <summary>
    /// The tensors saved by <see cref="SaveForBackward"/>, in order. Throws PyTorch's error if one was modified in
    /// place after it was saved, or if the graph was already freed.
    /// </summary>
    public IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (_released)
            {
                throw new InvalidOperationException(Node.FreedMessage);
            }

            return [.. _saved.Select(CustomFunctionNode.Unpack)];
        }
    }

    internal bool[] NeedsInputGradFlags { get; }

    internal bool Sealed { get; set; }

    /// <summary>Saves tensors for the backward, with their current versions (PyTorch's <c>ctx.save_for_backward</c>).</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _saved = [.. tensors.Select(SavedTensor.FromTensor)];
    }

    /// <summary>Declares that forward modified these inputs in place (PyTorch's <c>ctx.mark_dirty</c>); return them as the output.</summary>
    public void MarkDirty(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (Tensor t in tensors)
        {
            if (!_inputs.Any(i => ReferenceEquals(i, t)))
            {
                throw new ArgumentException("mark_dirty only accepts input tensors, but argument 0 isn't one", nameof(tensors));
            }

            (_dirty ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance)).Add(t);
        }
    }

    /// <summary>Declares outputs that have no gradient (PyTorch's <c>ctx.mark_non_differentiable</c>), such as indices.</summary>
    public void MarkNonDifferentiable(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (Tensor t in tensors)
        {
            (_nonDifferentiable ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance)).Add(t);
        }
    }

    /// <summary>Sets whether undefined output gradients reach the backward as zeros (PyTorch's <c>ctx.set_materialize_grads</c>).</summary>
    public void SetMaterializeGrads(bool value) => MaterializeGrads = value;

    internal bool IsDirty(Tensor t) => _dirty?.Contains(t) ?? false;

    internal bool IsNonDifferentiable(Tensor t) => _nonDifferentiable?.Contains(t) ?? false;

    internal void Release()
    {
        _released = true;
        _saved = [];
    }
}

/// <summary>The graph node of a <see cref="CustomFunction"/> application.</summary>
internal sealed class CustomFunctionNode : Node
{
    private readonly CustomFunction _function;
    private readonly FunctionContext _ctx;

    internal CustomFunctionNode(CustomFunction function, FunctionContext ctx, Tensor[] inputs)
        : base(inputs)
    {
        _function = function;
        _ctx = ctx;
    }

    public override string Name => _function.NodeName;

    internal static Tensor Unpack(SavedTensor saved) => Saved(saved);

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor?[] grads = _function.RunBackward(_ctx, grad);
        if (grads.Length != InputCount)
        {
            throw new InvalidOperationException(
                $"function {Name} returned an incorrect number of gradients (expected {InputCount}, got {grads.Length})");
        }

        for (int i = 0; i < grads.Length; i++)
        {
            if (!NeedsInputGrad(i))
            {
                grads[i] = null;   // PyTorch ignores a gradient returned for an input that needs none
            }
        }

        return grads;
    }

    protected override void ReleaseSaved() => _ctx.Release();
}

/// <summary>A node whose backward raises: the result of a once-differentiable backward, differentiated again.</summary>
internal sealed class DelayedErrorNode(string message) : Node
{
    public override string Name => "DelayedError";

    protected internal override Tensor?[] Apply(Tensor grad) => throw new InvalidOperationException(message);
}
