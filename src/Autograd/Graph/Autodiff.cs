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
