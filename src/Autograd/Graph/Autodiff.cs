namespace Autograd;

/// <summary>
/// PyTorch's <c>torch.autograd</c> functions: gradients without touching <c>.Grad</c> (<see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool?, bool)"/>),
/// backward from several roots, callbacks at the end of a pass, and saved-tensor hooks.
/// </summary>
public static partial class Autodiff
{
    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, weighted by
    /// <paramref name="gradOutputs"/> (a vector-Jacobian product), returned rather than accumulated: no tensor's
    /// <see cref="Tensor.Grad"/> changes (PyTorch's <c>torch.autograd.grad</c>). Only the part of the graph that leads to
    /// an input runs.
    /// </summary>
    /// <param name="outputs">The differentiated tensors.</param>
    /// <param name="inputs">The tensors to differentiate with respect to: leaves or non-leaves that require grad.</param>
    /// <param name="gradOutputs">One gradient per output (null entries, or a null list: ones, for one-element outputs).</param>
    /// <param name="retainGraph">Keep the saved tensors for another pass; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward computation, so the results can be differentiated again.</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on instead of throwing; defaults to
    /// <paramref name="materializeGrads"/>.</param>
    /// <param name="materializeGrads">Return zeros instead of null for such inputs.</param>
    /// <returns>One gradient per input, in order; null for unused inputs when <paramref name="allowUnused"/>.</returns>
    public static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null,
        bool? retainGraph = null,
        bool createGraph = false,
        bool? allowUnused = null,
        bool materializeGrads = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (materializeGrads && allowUnused == false)
        {
            throw new ArgumentException("Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.", nameof(allowUnused));
        }

        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            throw new ArgumentException(
                $"grad_outputs must be the same length as outputs: got {gradOutputs.Count} and {outputs.Count}", nameof(gradOutputs));
        }

        Tensor?[] heads = gradOutputs is null ? new Tensor?[outputs.Count] : [.. gradOutputs];
        Tensor?[] grads = Engine.Run(outputs, heads, retainGraph ?? createGraph, createGraph, inputs, captures: true, allowUnused ?? materializeGrads)!;
        if (materializeGrads)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                grads[i] ??= Tensor.ZerosLike(inputs[i]);
            }
        }

        return grads;
    }

    /// <summary>The gradient of <paramref name="output"/> with respect to each of <paramref name="inputs"/> (see the general overload).</summary>
    public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false, bool? allowUnused = null, bool materializeGrads = false) =>
        Grad([output], inputs, [gradOutput], retainGraph, createGraph, allowUnused, materializeGrads);

    /// <summary>The gradient of <paramref name="output"/> with respect to <paramref name="input"/> (see the general overload).</summary>
    public static Tensor? Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false, bool? allowUnused = null, bool materializeGrads = false) =>
        Grad([output], [input], [gradOutput], retainGraph, createGraph, allowUnused, materializeGrads)[0];

    /// <summary>
    /// Back-propagates from several roots at once, each with its gradient (null: ones, for one-element roots), summing
    /// where their graphs meet, and accumulates into the leaves' <see cref="Tensor.Grad"/> — or only into
    /// <paramref name="inputs"/> when given (PyTorch's <c>torch.autograd.backward</c>).
    /// </summary>
    public static void Backward(
        IReadOnlyList<Tensor> tensors,
        IReadOnlyList<Tensor?>? gradTensors = null,
        bool? retainGraph = null,
        bool createGraph = false,
        IReadOnlyList<Tensor>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (gradTensors is not null && gradTensors.Count != tensors.Count)
        {
            throw new ArgumentException(
                $"grad_tensors must be the same length as tensors: got {gradTensors.Count} and {tensors.Count}", nameof(gradTensors));
        }

        Tensor?[] heads = gradTensors is null ? new Tensor?[tensors.Count] : [.. gradTensors];
        Engine.Run(tensors, heads, retainGraph ?? createGraph, createGraph, inputs, captures: false, allowUnused: true);
    }

    /// <summary>
    /// Queues <paramref name="callback"/> to run once the backward pass running on this thread has finished with every
    /// node (PyTorch's <c>Variable._execution_engine.queue_callback</c>); callable only from inside a pass, for example
    /// from a hook. Callbacks run in the order queued, including ones queued by callbacks.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backward pass is running on this thread.</exception>
    public static void QueueCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        GraphTask task = GraphTask.Current ?? throw new InvalidOperationException("Final callbacks can only be installed during backward pass.");
        (task.Callbacks ??= []).Add(callback);
    }
}

public static partial class Autodiff
{
    /// <summary>
    /// Until the returned scope is disposed, every tensor an op saves for its backward goes through
    /// <paramref name="pack"/>, and the backward reads <paramref name="unpack"/>'s result instead (PyTorch's
    /// <c>torch.autograd.graph.saved_tensors_hooks</c>): to offload activations, compress them, or count them. Scopes
    /// nest (the innermost applies) and follow the logical flow, as grad mode does. A packed tensor's version is not
    /// checked, since unpack may return a copy.
    /// </summary>
    public static IDisposable SavedTensorHooks(Func<Tensor, object> pack, Func<object, Tensor> unpack) =>
        Autograd.SavedTensorHooks.Open(pack, unpack);

    /// <summary>
    /// Runs <paramref name="segment"/> without recording its graph, and recomputes it during the backward pass (with the
    /// default generator's state restored, so dropout draws the same mask) to back-propagate through it (PyTorch's
    /// reentrant <c>torch.utils.checkpoint.checkpoint</c>): activation memory traded for a second forward. Parameters
    /// the segment uses receive their gradients as usual.
    /// </summary>
    /// <exception cref="InvalidOperationException">During <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool?, bool)"/> or a backward with inputs, which this form does not support (as PyTorch's).</exception>
    public static Tensor Checkpoint(Func<Tensor[], Tensor> segment, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!GradMode.IsEnabled)
        {
            return segment(inputs);
        }

        byte[] state;
        lock (Generator.Default)
        {
            state = Generator.Default.GetState();
        }

        Tensor output;
        using (GradMode.NoGrad())
        {
            output = segment(inputs);
        }

        // The segment may use parameters the inputs do not show, so the node is recorded whenever grad mode is on.
        return output.Detach().WithGradFn(new CheckpointBackward(segment, inputs, state));
    }
}

/// <summary>
/// Recomputes a checkpointed segment and back-propagates the incoming gradient through it: inputs get the gradients
/// of their fresh aliases, parameters accumulate theirs in the nested pass.
/// </summary>
internal sealed class CheckpointBackward(Func<Tensor[], Tensor> segment, Tensor[] inputs, byte[] rngState) : Node(inputs)
{
    private Tensor[]? _inputs = inputs;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        if (GraphTask.Current is { Targets: not null })
        {
            throw new InvalidOperationException(
                "Checkpointing is not compatible with .grad() or when an `inputs` parameter is passed to .backward(). Please use .backward() and do not pass its `inputs` argument.");
        }

        Tensor[] saved = _inputs ?? throw new InvalidOperationException(FreedMessage);
        var aliases = new Tensor[saved.Length];
        for (int i = 0; i < saved.Length; i++)
        {
            aliases[i] = saved[i].Detach();
            aliases[i].RequiresGrad = saved[i].RequiresGrad;
        }

        byte[] current;
        lock (Generator.Default)
        {
            current = Generator.Default.GetState();
            Generator.Default.SetState(rngState);
        }

        Tensor output;
        try
        {
            using (GradMode.EnableGrad())
            {
                output = segment(aliases);
            }
        }
        finally
        {
            lock (Generator.Default)
            {
                Generator.Default.SetState(current);
            }
        }

        if (output.RequiresGrad)
        {
            output.Backward(grad, retainGraph: false, createGraph: GradMode.IsEnabled);
        }

        var grads = new Tensor?[saved.Length];
        for (int i = 0; i < saved.Length; i++)
        {
            grads[i] = aliases[i].Grad;
        }

        return grads;
    }

    protected override void ReleaseSaved() => _inputs = null;
}
