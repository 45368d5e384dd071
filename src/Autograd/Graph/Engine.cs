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

    /// <summary>
    /// <see cref="Run"/> for one root and no inputs (<c>loss.Backward()</c>), without the arrays and lists of the
    /// general case: on the <c>tiny</c> workload (a four-node graph) those were a tenth of the step.
    /// </summary>
    internal static void Backward(Tensor root, Tensor? gradient, bool retainGraph, bool createGraph)
    {
        Node rootNode = root.GradientEdge
            ?? throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        bool owned = false;
        if (gradient is null)
        {
            if (root.Count != 1)
            {
                throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            }

            gradient = Tensor.OnesLike(root, root._dtype);
            owned = !createGraph;
        }
        else if (!gradient._shape.AsSpan().SequenceEqual(root._shape))
        {
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[0] has a shape of {gradient.Shape} and output[0] has a shape of {root.Shape}.",
                nameof(gradient));
        }

        using GradMode.PassScope mode = GradMode.EnterPass(createGraph);
        var task = new GraphTask(retainGraph, createGraph);
        GraphTask? outer = task.Enter();
        try
        {
            if (rootNode is AccumulateGrad rootSink && !task.Schedules(rootSink))
            {
                Accumulate(task, rootSink, gradient, owned);
            }
            else
            {
                CountDependencies(task, rootNode);
                Deliver(task, rootNode, gradient, owned);
                if (task.Dependencies(rootNode) == 0)
                {
                    task.Stack.Push(rootNode);
                }

                Execute(task);
            }

            RunCallbacks(task);
        }
        finally
        {
            task.Finish();
            GraphTask.Exit(outer);
        }
    }

    /// <summary>
    /// Back-propagates from <paramref name="roots"/>, each with its head gradient (null: ones, for a one-element root).
    /// Without <paramref name="inputs"/>, every leaf reached accumulates into its <c>.Grad</c> (PyTorch's
    /// <c>torch.autograd.backward</c>). With them, only the nodes from which an input can be reached run; when
    /// <paramref name="captures"/> the gradient of each input is returned and no <c>.Grad</c> is touched
    /// (<c>torch.autograd.grad</c>), otherwise the inputs alone accumulate (<c>backward(inputs=…)</c>).
    /// </summary>
    internal static Tensor?[]? Run(
        IReadOnlyList<Tensor> roots,
        IReadOnlyList<Tensor?> gradients,
        bool retainGraph,
        bool createGraph,
        IReadOnlyList<Tensor>? inputs,
        bool captures,
        bool allowUnused)
    {
        if (roots.Count == 0)
        {
            throw new ArgumentException("grad requires non-empty inputs.", nameof(roots));
        }

        if (gradients.Count != roots.Count)
        {
            throw new ArgumentException($"grad can be implicitly created only for scalar outputs: got {gradients.Count} gradients for {roots.Count} outputs", nameof(gradients));
        }

        var rootNodes = new Node[roots.Count];
        var heads = new Tensor[roots.Count];
        var owned = new bool[roots.Count];
        for (int i = 0; i < roots.Count; i++)
        {
            Tensor root = roots[i] ?? throw new ArgumentNullException(nameof(roots));
            rootNodes[i] = root.GradientEdge
                ?? throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            Tensor? gradient = gradients[i];
            if (gradient is null)
            {
                if (root.Count != 1)
                {
                    throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                }

                gradient = Tensor.OnesLike(root, root._dtype);
                owned[i] = !createGraph;
            }
            else if (!gradient._shape.AsSpan().SequenceEqual(root._shape))
            {
                throw new ArgumentException(
                    $"Mismatch in shape: grad_output[{i}] has a shape of {gradient.Shape} and output[{i}] has a shape of {root.Shape}.",
                    nameof(gradients));
            }

            heads[i] = gradient;
        }

        Dictionary<Node, int>? targets = null;
        if (inputs is not null)
        {
            if (inputs.Count == 0)
            {
                throw new ArgumentException("grad requires non-empty inputs.", nameof(inputs));
            }

            targets = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < inputs.Count; i++)
            {
                Tensor input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs));
                Node node = input.GradientEdge
                    ?? throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
                targets.TryAdd(node, i);
            }
        }

        using GradMode.PassScope mode = GradMode.EnterPass(createGraph);
        var task = new GraphTask(retainGraph, createGraph)
        {
            Targets = targets,
            Inputs = inputs,
            Captures = captures,
            Captured = targets is null ? null : new Tensor?[inputs!.Count],
        };
        GraphTask? outer = task.Enter();
        try
        {
            for (int i = 0; i < rootNodes.Length; i++)
            {
                if (rootNodes[i] is not AccumulateGrad rootSink || task.Schedules(rootSink))
                {
                    CountDependencies(task, rootNodes[i]);
                }
            }

            if (targets is not null)
            {
                task.Reaching = FindReaching(task, rootNodes, targets);
            }

            var ready = new List<Node>(rootNodes.Length);
            for (int i = 0; i < rootNodes.Length; i++)
            {
                Node rootNode = rootNodes[i];
                if (rootNode is AccumulateGrad rootSink && !task.Schedules(rootSink))
                {
                    if (task.AccumulatesAll)
                    {
                        Accumulate(task, rootSink, heads[i], owned[i]);
                    }

                    continue;
                }

                Deliver(task, rootNode, heads[i], owned[i]);
                if (task.Dependencies(rootNode) == 0 && !ready.Contains(rootNode))
                {
                    ready.Add(rootNode);
                }
            }

            for (int i = ready.Count - 1; i >= 0; i--)
            {
                task.Stack.Push(ready[i]);
            }

            Execute(task);
            RunCallbacks(task);
        }
        finally
        {
            task.Finish();
            GraphTask.Exit(outer);
        }

        if (!captures || task.Captured is not { } captured)
        {
            return null;
        }

        var result = new Tensor?[inputs!.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = captured[targets![inputs[i].GradientEdge!]];
            if (result[i] is null && !allowUnused)
            {
                throw new InvalidOperationException(
                    "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
            }
        }

        return result;
    }

    /// <summary>Runs the callbacks queued during the pass, including those queued by callbacks, in order.</summary>
    private static void RunCallbacks(GraphTask task)
    {
        for (int i = 0; task.Callbacks is { } callbacks && i < callbacks.Count; i++)
        {
            callbacks[i]();
        }
    }

    private static void CountDependencies(GraphTask task, Node root)
    {
        Stack<Node> stack = task.Stack;
        if (!task.Discover(root))
        {
            return;
        }

        stack.Push(root);
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            for (int i = 0; i < node.InputCount; i++)
            {
                Node? next = node.EdgeAt(i).Function;
                if (next is null || (next is AccumulateGrad sink && !task.Schedules(sink)))
                {
                    // Leaves take each gradient as it arrives (see Execute), so their sinks keep no per-pass state:
                    // passes on two threads may share parameters. A sink with hooks or asked for is scheduled instead.
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

    /// <summary>
    /// The nodes from which a target can be reached (PyTorch's exec_info): a depth-first walk that marks a node once
    /// all its successors are done, iteratively. Only these and the targets run; nothing else is computed.
    /// </summary>
    private static HashSet<Node> FindReaching(GraphTask task, Node[] roots, Dictionary<Node, int> targets)
    {
        var reaching = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node Node, int Next)>();
        foreach (Node root in roots)
        {
            if (done.Add(root))
            {
                stack.Push((root, 0));
            }

            while (stack.Count > 0)
            {
                (Node node, int next) = stack.Pop();
                if (next < node.InputCount)
                {
                    stack.Push((node, next + 1));
                    if (node.EdgeAt(next).Function is { } child && (child is not AccumulateGrad sink || task.Schedules(sink)) && done.Add(child))
                    {
                        stack.Push((child, 0));
                    }

                    continue;
                }

                for (int i = 0; i < node.InputCount; i++)
                {
                    if (node.EdgeAt(i).Function is { } child && (targets.ContainsKey(child) || reaching.Contains(child)))
                    {
                        reaching.Add(node);
                        break;
                    }
                }
            }
        }

        return reaching;
    }

    private static void Execute(GraphTask task)
    {
        bool createGraph = task.CreateGraph;
        GradAccumulation? accumulation = null;
        Stack<Node> stack = task.Stack;
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            if (!task.Runs(node))
            {
                continue;   // a root from which no input asked for can be reached
            }

            ref Tensor? pendingSlot = ref task.Pending(node);
            Tensor? grad = pendingSlot;
            pendingSlot = null;
            ref bool ownedSlot = ref task.PendingOwned(node);
            bool gradOwned = ownedSlot;
            ownedSlot = false;

            if (grad is not null && node._hooks is { } hooks)
            {
                grad = hooks.RunBefore(grad, node.RetainedOutput, createGraph);
                gradOwned = false;   // a hook may keep the tensor it was shown (or return one of the user's)
            }
            else if (grad is not null && node.RetainedOutput is { } retained)
            {
                AccumulateRetained(retained, grad, createGraph);
            }

            if (task.Targets is { } targets && targets.TryGetValue(node, out int slot))
            {
                if (grad is not null)
                {
                    TakeTarget(task, node, slot, grad, gradOwned);
                    gradOwned = false;   // handed to the caller or to a .Grad: never recycled
                }

                if (node is AccumulateGrad || !task.Reaching!.Contains(node))
                {
                    continue;
                }
            }
            else if (node is AccumulateGrad scheduledSink)
            {
                // A sink scheduled for its hooks: the pass's total gradient, accumulated once.
                if (grad is not null)
                {
                    Accumulate(task, scheduledSink, grad, gradOwned);
                }

                continue;
            }

            Tensor?[]? inputGrads = null;
            bool trusted = false;
            bool offered = false;
            if (grad is not null)
            {

                // Built-in nodes keep no reference to what they receive or return, so the results they create while
                // this pass runs them (made by the pass, see GraphTask) and their consumed input belong to the engine
                // alone. Nodes from other assemblies are not trusted with this, nor offered targets to accumulate into.
                trusted = !createGraph && node.GetType().Assembly == s_library && node is not CustomFunctionNode;
                offered = trusted && OfferTargets(task, node, ref accumulation);
                if (GradMode.IsAnomalyEnabled)
                {
                    inputGrads = Anomaly.Apply(task, node, grad, trusted, offered ? accumulation : null);
                }
                else
                {
                    inputGrads = trusted ? task.ApplyOwned(node, grad, offered ? accumulation : null) : node.Apply(grad);
                }
                if (offered)
                {
                    accumulation!.Withdraw(node.InputCount);
                }

                if (inputGrads.Length != node.InputCount)
                {
                    throw new InvalidOperationException(
                        $"Function {node.Name} returned an invalid number of gradients - expected {node.InputCount}, but got {inputGrads.Length}");
                }

                if (node._hooks is { PostHooks.Length: > 0 } postHooks)
                {
                    inputGrads = postHooks.RunAfter(inputGrads, grad);
                    trusted = false;   // the hook may keep what it was shown, or return the user's tensors
                }

                if (gradOwned && trusted && !SharesStorage(inputGrads, grad.Storage, except: -1))
                {
                    grad.ReturnStorage();
                }
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

                bool direct = next is AccumulateGrad unscheduled && !task.Schedules(unscheduled);
                if (direct ? !task.AccumulatesAll : !task.Runs(next))
                {
                    continue;   // asked for other inputs: nothing reachable from here is
                }

                Tensor? inputGrad = inputGrads?[i];
                if (offered && inputGrad is not null && accumulation!.Accumulated(i))
                {
                    // The node added this gradient into the input's existing one itself (see GradAccumulation).
                    if (direct)
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
                    if (direct)
                    {
                        Accumulate(task, (AccumulateGrad)next, inputGrad, fresh);
                        continue;
                    }

                    Deliver(task, next, inputGrad, fresh);
                }
                else if (direct)
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
            if (edge.Function is AccumulateGrad leafSink && !task.Schedules(leafSink))
            {
                if (!task.AccumulatesAll)
                {
                    continue;
                }

                Tensor variable = leafSink.Variable;
                if (variable.Grad is { } existing && existing.IsContiguous && !existing.RequiresGrad
                    && (!variable._overwritesGrad || (task.Overwritten?.Contains(variable) ?? false)))
                {
                    (target, sink) = (existing, leafSink);
                }
            }
            else if (edge.Function is { } next && task.Runs(next) && task.PendingOwned(next) && task.Pending(next) is { IsContiguous: true } pending)
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
        AccumulateInto(task, sink, grad, owned);
        if (sink._hooks is { PostAccumulateHooks.Length: > 0 } hooks)
        {
            using GradMode.Scope noGrad = GradMode.NoGrad();
            foreach (Action<Tensor> hook in hooks.PostAccumulateHooks)
            {
                hook(sink.Variable);
            }
        }
    }

    /// <summary>
    /// Hands a target its gradient: returned to the caller of <c>autograd.grad</c> (summed with an earlier one if the
    /// node was reached twice, which scheduling rules out but a hook may not), or accumulated into the input's
    /// <c>.Grad</c> for <c>backward(inputs=…)</c>.
    /// </summary>
    private static void TakeTarget(GraphTask task, Node node, int slot, Tensor grad, bool owned)
    {
        if (task.Captures)
        {
            ref Tensor? captured = ref task.Captured![slot];
            captured = captured is null ? grad : captured + grad;
            return;
        }

        if (node is AccumulateGrad sink)
        {
            Accumulate(task, sink, grad, owned);
        }
        else if (node.RetainedOutput is null)
        {
            // backward(inputs=[non-leaf]) accumulates into the non-leaf's .grad, as a retained gradient (once: a
            // retained non-leaf already took it before its hooks ran).
            AccumulateRetained(task.Inputs![slot], grad, task.CreateGraph);
        }
    }

    private static void AccumulateInto(GraphTask task, AccumulateGrad sink, Tensor grad, bool owned)
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
            existing.BumpVersion();
        }

        if (owned)
        {
            grad.ReturnStorage();
        }
    }

    /// <summary>Adds a non-leaf's gradient into its <see cref="Tensor.Grad"/> after <see cref="Tensor.RetainGrad"/>.</summary>
    internal static void AccumulateRetained(Tensor retained, Tensor grad, bool createGraph)
    {
        Tensor? existing = retained.Grad;
        retained.Grad = existing is null
            ? (createGraph ? grad : grad.Detach().CloneData())
            : (createGraph ? existing + grad : (existing + grad).Detach());
    }
}
