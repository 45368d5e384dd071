namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Registers a hook that runs every time this tensor's gradient is computed in a backward pass (the sum over the
    /// pass, before it reaches <see cref="Grad"/> or the nodes before this tensor), and may return a replacement of the
    /// same shape, or null to keep it (PyTorch's <c>Tensor.register_hook</c>). Works on leaves and non-leaves; dispose
    /// the returned handle to remove it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not require grad.</exception>
    public RemovableHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!_requiresGrad)
        {
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        }

        return NodeHooks.AddTensorHook(_gradFn ?? Accumulator, hook);
    }

    /// <summary>Registers a hook that observes this tensor's gradient without replacing it (see <see cref="RegisterHook(Func{Tensor, Tensor})"/>).</summary>
    public RemovableHandle RegisterHook(Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterHook(grad =>
        {
            hook(grad);
            return null;
        });
    }

    /// <summary>
    /// Registers a hook that runs, with grad mode off, after a backward pass has accumulated this leaf's gradient into
    /// <see cref="Grad"/>; it receives the leaf itself (PyTorch's <c>register_post_accumulate_grad_hook</c>). An optimizer
    /// step run from here updates each parameter as soon as its gradient is complete.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is not a leaf, or does not require grad.</exception>
    public RemovableHandle RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        if (_gradFn is not null)
        {
            throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        }

        if (!_requiresGrad)
        {
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        }

        return NodeHooks.AddPostAccumulateHook(Accumulator, hook);
    }
}
