namespace Autograd;

/// <summary>
/// Removes the hook it was returned for when disposed (PyTorch's <c>RemovableHandle.remove()</c>). Removing twice
/// does nothing.
/// </summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? _remove;

    internal RemovableHandle(Action remove) => _remove = remove;

    /// <summary>Removes the hook (the same as <see cref="Dispose"/>).</summary>
    public void Remove() => Dispose();

    /// <summary>Removes the hook.</summary>
    public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
}

/// <summary>
/// The hooks registered on one node, in the order PyTorch runs them during a pass: hooks of the tensor the node
/// produces (<see cref="Tensor.RegisterHook(Func{Tensor, Tensor})"/>, on the summed gradient of that tensor), then the
/// retained gradient, then the node's pre-hooks (<see cref="Node.RegisterPrehook"/>); after the node ran, its hooks
/// (<see cref="Node.RegisterHook"/>) see and may replace the gradients of its inputs; on a leaf's sink, the
/// post-accumulate hooks run after <c>.Grad</c> was updated. Lists are copied on write, so a pass iterates a snapshot.
/// </summary>
internal sealed class NodeHooks
{
    internal Func<Tensor, Tensor?>[] TensorHooks { get; private set; } = [];

    internal Func<Tensor, Tensor?>[] PreHooks { get; private set; } = [];

    internal Func<Tensor?[], Tensor, Tensor?[]?>[] PostHooks { get; private set; } = [];

    internal Action<Tensor>[] PostAccumulateHooks { get; private set; } = [];

    internal static RemovableHandle AddTensorHook(Node node, Func<Tensor, Tensor?> hook) =>
        Add(node, hook, h => h.TensorHooks, (h, v) => h.TensorHooks = v);

    internal static RemovableHandle AddPreHook(Node node, Func<Tensor, Tensor?> hook) =>
        Add(node, hook, h => h.PreHooks, (h, v) => h.PreHooks = v);

    internal static RemovableHandle AddPostHook(Node node, Func<Tensor?[], Tensor, Tensor?[]?> hook) =>
        Add(node, hook, h => h.PostHooks, (h, v) => h.PostHooks = v);

    internal static RemovableHandle AddPostAccumulateHook(Node node, Action<Tensor> hook) =>
        Add(node, hook, h => h.PostAccumulateHooks, (h, v) => h.PostAccumulateHooks = v);

    /// <summary>Runs the tensor hooks and the pre-hooks on <paramref name="grad"/>; a hook returning null keeps it.</summary>
    internal Tensor RunBefore(Tensor grad, Tensor? retained, bool createGraph)
    {
        foreach (Func<Tensor, Tensor?> hook in TensorHooks)
        {
            grad = Checked(hook(grad), grad, "hook");
        }

        if (retained is not null)
        {
            Engine.AccumulateRetained(retained, grad, createGraph);
        }

        foreach (Func<Tensor, Tensor?> hook in PreHooks)
        {
            grad = Checked(hook(grad), grad, "pre-hook");
        }

        return grad;
    }

    /// <summary>Runs the post-hooks on a node's result; a hook returning null keeps it.</summary>
    internal Tensor?[] RunAfter(Tensor?[] inputGrads, Tensor grad)
    {
        foreach (Func<Tensor?[], Tensor, Tensor?[]?> hook in PostHooks)
        {
            if (hook((Tensor?[])inputGrads.Clone(), grad) is { } replaced)
            {
                if (replaced.Length != inputGrads.Length)
                {
                    throw new InvalidOperationException(
                        $"hook returned an incorrect number of gradients (got {replaced.Length}, but expected {inputGrads.Length})");
                }

                inputGrads = replaced;
            }
        }

        return inputGrads;
    }

    private static Tensor Checked(Tensor? replaced, Tensor grad, string kind)
    {
        if (replaced is null)
        {
            return grad;
        }

        if (!replaced._shape.AsSpan().SequenceEqual(grad._shape))
        {
            throw new InvalidOperationException(
                $"{kind} returned a gradient of shape {replaced.Shape}, but the gradient it was given has shape {grad.Shape}");
        }

        return replaced;
    }

    private static RemovableHandle Add<T>(Node node, T hook, Func<NodeHooks, T[]> get, Action<NodeHooks, T[]> set)
    {
        ArgumentNullException.ThrowIfNull(hook);
        lock (node)
        {
            NodeHooks hooks = node._hooks ??= new NodeHooks();
            set(hooks, [.. get(hooks), hook]);
        }

        return new RemovableHandle(() =>
        {
            lock (node)
            {
                if (node._hooks is { } hooks)
                {
                    T[] current = get(hooks);
                    int at = Array.IndexOf(current, hook);
                    if (at >= 0)
                    {
                        set(hooks, [.. current[..at], .. current[(at + 1)..]]);
                    }

                    if (hooks.IsEmpty)
                    {
                        node._hooks = null;
                    }
                }
            }
        });
    }

    private bool IsEmpty => TensorHooks.Length == 0 && PreHooks.Length == 0 && PostHooks.Length == 0 && PostAccumulateHooks.Length == 0;
}
