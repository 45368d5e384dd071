using System.Numerics.Tensors;

namespace Autograd;

/// <summary>
/// Runs backward passes. Iterative throughout (no recursion on the graph), so chains of millions of nodes work.
/// </summary>
/// <remarks>
/// A pass (1) walks the graph from the root once to count, for every node, how many edges lead into it;
/// (2) runs each node exactly once, when all of its incoming gradients have arrived and been summed;
/// (3) sums every returned gradient back to its input's shape (undoing broadcasting) after checking it;
/// (4) accumulates into leaves and retained non-leaves; (5) releases saved tensors unless the graph is retained.
/// Leaves (parameters) take each gradient as it arrives under a lock and keep no per-pass state; every other per-pass
/// count and sum belongs to the pass's <see cref="GraphTask"/>, so passes on several threads may share leaves and, with
/// <c>retainGraph</c>, intermediate nodes.
/// </remarks>
internal static class Engine
{
    private static readonly System.Reflection.Assembly s_library = typeof(Node).Assembly;

    internal static void Backward(Tensor root, Tensor? gradient, bool retainGraph, bool createGraph)
    {
        Node rootNode = root.GradientEdge
            ?? throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");

        bool implicitGradient = gradient is null;
        if (gradient is null)
        {
            if (root.Count != 1)
            {
                throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            }

            gradient = Tensor.OnesLike(root, root._dtype);
        }
        else if (!gradient._shape.AsSpan().SequenceEqual(root._shape))
        {
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[0] has a shape of {gradient.Shape} and output[0] has a shape of {root.Shape}.",
                nameof(gradient));
        }

        using GradMode.Scope mode = GradMode.Set(createGraph);
        var task = new GraphTask(retainGraph, createGraph);
        GraphTask? outer = task.Enter();
        try
        {
            if (rootNode is AccumulateGrad rootSink)
            {
                Accumulate(task, rootSink, gradient, implicitGradient && !createGraph);
                return;
            }

            CountDependencies(task, rootNode);
            task.Pending(rootNode) = gradient;
            task.PendingOwned(rootNode) = implicitGradient && !createGraph;
            Execute(task, rootNode);
        }
        finally
        {
            task.Finish();
            GraphTask.Exit(outer);
        }
    }

    private static void CountDependencies(GraphTask task, Node root)
    {
        Stack<Node> stack = task.Stack;
        task.Discover(root);
        stack.Push(root);
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            for (int i = 0; i < node.InputCount; i++)
            {
                Node? next = node.EdgeAt(i).Function;
                if (next is null or AccumulateGrad)
                {
                    // Leaves take each gradient as it arrives (see Execute), so their sinks keep no per-pass state:
                    // passes on two threads may share parameters.
                    continue;
                }

                if (task.Discover(next))
                {
                    stack.Push(next);
                }

                task.Dependencies(next)++;
            }
        }
    }

    private static void Execute(GraphTask task, Node root)
    {
        bool createGraph = task.CreateGraph;
        GradAccumulation? accumulation = null;
        Stack<Node> stack = task.Stack;
        stack.Push(root);
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            ref Tensor? pendingSlot = ref task.Pending(node);
            Tensor? grad = pendingSlot;
            pendingSlot = null;
            ref bool ownedSlot = ref task.PendingOwned(node);
            bool gradOwned = ownedSlot;
            ownedSlot = false;

            Tensor?[]? inputGrads = null;
            bool trusted = false;
            bool offered = false;
            if (grad is not null)
            {
                if (node.RetainedOutput is { } retained)
                {
                    AccumulateRetained(retained, grad, createGraph);
                }

                // Built-in nodes keep no reference to what they receive or return, so the results they create while
                // this pass runs them (made by the pass, see GraphTask) and their consumed input belong to the engine
                // alone. Nodes from other assemblies are not trusted with this, nor offered targets to accumulate into.
                trusted = !createGraph && node.GetType().Assembly == s_library;
                offered = trusted && OfferTargets(task, node, ref accumulation);
                inputGrads = trusted ? task.ApplyOwned(node, grad, offered ? accumulation : null) : node.Apply(grad);
                if (offered)
                {
                    accumulation!.Withdraw(node.InputCount);
                }

                if (inputGrads.Length != node.InputCount)
                {
                    throw new InvalidOperationException(
                        $"Function {node.Name} returned an invalid number of gradients - expected {node.InputCount}, but got {inputGrads.Length}");
                }

                if (gradOwned && trusted && !SharesStorage(inputGrads, grad.Storage, except: -1))
                {
                    grad.ReturnStorage();
                }

                // Nodes read grad through spans and rent while doing so; a collection in a rent must not find grad
                // (perhaps a temporary head gradient only this loop refers to) dead and recycle its storage.
                GC.KeepAlive(grad);
            }

            if (!task.RetainGraph)
            {
                node.Release();
            }

            // A node that received no gradient still runs, with nothing to send, so its successors' counts reach zero.
            for (int i = 0; i < node.InputCount; i++)
            {
                Node.Edge edge = node.EdgeAt(i);
                Node? next = edge.Function;
                if (next is null)
                {
                    continue;
                }

                Tensor? inputGrad = inputGrads?[i];
                if (offered && inputGrad is not null && accumulation!.Accumulated(i))
                {
                    // The node added this gradient into the input's existing one itself (see GradAccumulation).
                    if (next is AccumulateGrad)
                    {
                        continue;
                    }
                }
                else if (inputGrad is not null)
                {
                    // A gradient passed through (AddmmBackward's bias, views of the incoming gradient) inherits the
                    // incoming gradient's ownership when no other input received the same storage; any other is the
                    // engine's only if this pass made it.
                    bool fresh = trusted
                        && (inputGrad.Storage == grad!.Storage ? gradOwned : task.Made(inputGrad))
                        && !SharesStorage(inputGrads!, inputGrad.Storage, except: i);
                    inputGrad = FitToInput(node, i, inputGrad, edge, ref fresh, createGraph);
                    if (next is AccumulateGrad sink)
                    {
                        Accumulate(task, sink, inputGrad, fresh);
                        continue;
                    }

                    Deliver(task, next, inputGrad, fresh);
                }
                else if (next is AccumulateGrad)
                {
                    continue;
                }

                if (--task.Dependencies(next) == 0)
                {
                    stack.Push(next);
                }
            }
        }
    }

    /// <summary>
    /// Offers a built-in node, before it runs, the gradients its inputs already hold that it may add into in place
    /// (see <see cref="GradAccumulation"/>): a leaf's contiguous <see cref="Tensor.Grad"/> that this pass accumulates
    /// into (not one it is about to overwrite after <see cref="Tensor.AttachGrad"/>), or a node's pending gradient that
    /// only the engine references. Returns false when there is nothing to offer.
    /// </summary>
    private static bool OfferTargets(GraphTask task, Node node, ref GradAccumulation? accumulation)
    {
        bool any = false;
        for (int i = 0; i < node.InputCount; i++)
        {
            Node.Edge edge = node.EdgeAt(i);
            Tensor? target = null;
            AccumulateGrad? sink = null;
            if (edge.Function is AccumulateGrad leafSink)
            {
                Tensor variable = leafSink.Variable;
                if (variable.Grad is { } existing && existing.IsContiguous && !existing.RequiresGrad
                    && (!variable._overwritesGrad || (task.Overwritten?.Contains(variable) ?? false)))
                {
                    (target, sink) = (existing, leafSink);
                }
            }
            else if (edge.Function is { } next && task.PendingOwned(next) && task.Pending(next) is { IsContiguous: true } pending)
            {
                target = pending;
            }

            if (target is null || !target._shape.AsSpan().SequenceEqual(edge.InputShape))
            {
                continue;
            }

            if (!any)
            {
                accumulation ??= GradAccumulation.ForThisThread();
                accumulation.Prepare(node.InputCount);
                any = true;
            }

            accumulation!.Offer(i, target, sink);
        }

        return any;
    }

    private static bool SharesStorage(Tensor?[] tensors, Array storage, int except)
    {
        for (int j = 0; j < tensors.Length; j++)
        {
            if (j != except && tensors[j] is { } t && t.Storage == storage)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds a gradient into a node's pending slot. Owned tensors (only the engine references them) are summed into
    /// in place, and an owned addend is recycled afterwards; otherwise a new sum is made, which the engine then owns.
    /// </summary>
    private static void Deliver(GraphTask task, Node next, Tensor grad, bool owned)
    {
        bool createGraph = task.CreateGraph;
        ref Tensor? slot = ref task.Pending(next);
        ref bool slotOwned = ref task.PendingOwned(next);
        Tensor? pending = slot;
        if (pending is null)
        {
            slot = grad;
            slotOwned = owned;
            return;
        }

        bool float32 = pending._dtype == DType.Float32 && grad._dtype == DType.Float32;
        if (!createGraph && float32 && slotOwned && pending.IsContiguous)
        {
            Span<float> target = pending.AsSpan();
            TensorPrimitives.Add(target, grad.ContiguousData(), target);
            GC.KeepAlive(grad);   // read through a span only (see StorageLease)
            if (owned)
            {
                grad.ReturnStorage();
            }

            return;
        }

        if (!createGraph && float32 && owned && grad.IsContiguous)
        {
            Span<float> target = grad.AsSpan();
            TensorPrimitives.Add(target, pending.ContiguousData(), target);
            GC.KeepAlive(pending);
            slot = grad;
            slotOwned = true;
            return;
        }

        slot = pending + grad;
        slotOwned = !createGraph;
        if (slotOwned && owned)
        {
            grad.ReturnStorage();
        }
    }

    private static Tensor FitToInput(Node node, int index, Tensor grad, Node.Edge edge, ref bool owned, bool createGraph)
    {
        int[] inputShape = edge.InputShape;
        if (grad._dtype != edge.InputDType)
        {
            // PyTorch's validate_outputs: a gradient takes its input's dtype (a float32 leaf used in float64 math).
            if (!grad._dtype.IsFloatingPoint())
            {
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - expected dtype {edge.InputDType.TorchName()} but got {grad._dtype.TorchName()}");
            }

            grad = grad.To(edge.InputDType);
            owned = !createGraph;
        }

        if (grad._shape == inputShape || grad._shape.AsSpan().SequenceEqual(inputShape))
        {
            return grad;
        }

        if (!Broadcasting.CanSumTo(grad._shape, inputShape))
        {
            throw new InvalidOperationException(
                $"Function {node.Name} returned an invalid gradient at index {index} - got {Shape.Format(grad._shape)} but expected shape compatible with {Shape.Format(inputShape)}");
        }

        Tensor reduced = grad.SumTo(inputShape);
        if (owned)
        {
            grad.ReturnStorage();
        }

        owned = !createGraph;
        return reduced;
    }

    /// <summary>
    /// Adds one incoming gradient into a leaf's <see cref="Tensor.Grad"/> as it arrives, under the sink's lock, so
    /// passes on several threads may share leaves. After <see cref="Tensor.AttachGrad"/> the first gradient of a pass
    /// overwrites instead. An owned gradient is taken over as it is (no copy) or recycled once added.
    /// </summary>
    private static void Accumulate(GraphTask task, AccumulateGrad sink, Tensor grad, bool owned)
    {
        bool createGraph = task.CreateGraph;
        Tensor variable = sink.Variable;
        lock (sink.Gate)
        {
            bool overwrite = variable._overwritesGrad && (task.Overwritten ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance)).Add(variable);
            Tensor? existing = variable.Grad;
            if (existing is null || overwrite)
            {
                // A gradient the engine does not own may be a user's tensor or a saved one (AddBackward passes its
                // gradient through), so the leaf gets its own copy unless the graph of the gradient itself is wanted.
                variable.Grad = createGraph ? grad : owned && grad.IsContiguous ? grad : grad.Detach().CloneData();
                return;
            }

            if (createGraph || existing.RequiresGrad || !existing.IsContiguous || existing._dtype != DType.Float32 || grad._dtype != DType.Float32)
            {
                variable.Grad = createGraph ? existing + grad : (existing + grad).Detach();
                return;
            }

            Span<float> target = existing.AsSpan();
            TensorPrimitives.Add(target, grad.ContiguousData(), target);
            GC.KeepAlive(grad);
            existing.BumpVersion();
        }

        if (owned)
        {
            grad.ReturnStorage();
        }
    }

    /// <summary>Adds a non-leaf's gradient into its <see cref="Tensor.Grad"/> after <see cref="Tensor.RetainGrad"/>.</summary>
    private static void AccumulateRetained(Tensor retained, Tensor grad, bool createGraph)
    {
        Tensor? existing = retained.Grad;
        retained.Grad = existing is null
            ? (createGraph ? grad : grad.Detach().CloneData())
            : (createGraph ? existing + grad : (existing + grad).Detach());
    }
}
