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
/// The per-node counters live on the nodes, so two threads must not back-propagate through a shared graph at once.
/// </remarks>
internal static class Engine
{
    private static int s_passCounter;

    [ThreadStatic]
    private static Stack<Node>? s_stack;

    internal static void Backward(Tensor root, Tensor? gradient, bool retainGraph, bool createGraph)
    {
        Node rootNode = root.GradientEdge
            ?? throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");

        if (gradient is null)
        {
            if (root.Count != 1)
            {
                throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            }

            gradient = Tensor.OnesLike(root);
        }
        else if (!gradient._shape.AsSpan().SequenceEqual(root._shape))
        {
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[0] has a shape of {gradient.Shape} and output[0] has a shape of {root.Shape}.",
                nameof(gradient));
        }

        Stack<Node> stack = s_stack ??= new Stack<Node>();
        stack.Clear();
        using GradMode.Scope mode = GradMode.Set(createGraph);
        try
        {
            CountDependencies(rootNode, stack);
            rootNode._pendingGrad = gradient;
            Execute(rootNode, stack, retainGraph, createGraph);
        }
        finally
        {
            stack.Clear();
        }
    }

    private static void CountDependencies(Node root, Stack<Node> stack)
    {
        int pass = Interlocked.Increment(ref s_passCounter);
        root._pass = pass;
        root._dependencies = 0;
        root._pendingGrad = null;
        stack.Push(root);
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            foreach (Node.Edge edge in node._edges)
            {
                Node? next = edge.Function;
                if (next is null)
                {
                    continue;
                }

                if (next._pass != pass)
                {
                    next._pass = pass;
                    next._dependencies = 0;
                    next._pendingGrad = null;
                    stack.Push(next);
                }

                next._dependencies++;
            }
        }
    }

    private static void Execute(Node root, Stack<Node> stack, bool retainGraph, bool createGraph)
    {
        stack.Push(root);
        while (stack.Count > 0)
        {
            Node node = stack.Pop();
            Tensor? grad = node._pendingGrad;
            node._pendingGrad = null;

            Tensor?[]? inputGrads = null;
            if (grad is not null)
            {
                if (node is AccumulateGrad sink)
                {
                    Accumulate(sink.Variable, grad, createGraph);
                    continue;
                }

                if (node.RetainedOutput is { } retained)
                {
                    Accumulate(retained, grad, createGraph);
                }

                inputGrads = node.Apply(grad);
                if (inputGrads.Length != node.InputCount)
                {
                    throw new InvalidOperationException(
                        $"Function {node.Name} returned an invalid number of gradients - expected {node.InputCount}, but got {inputGrads.Length}");
                }
            }

            if (!retainGraph)
            {
                node.Release();
            }

            // A node that received no gradient still runs, with nothing to send, so its successors' counts reach zero.
            Node.Edge[] edges = node._edges;
            for (int i = 0; i < edges.Length; i++)
            {
                Node? next = edges[i].Function;
                if (next is null)
                {
                    continue;
                }

                Tensor? inputGrad = inputGrads?[i];
                if (inputGrad is not null)
                {
                    inputGrad = FitToInput(node, i, inputGrad, edges[i].InputShape);
                    next._pendingGrad = next._pendingGrad is null ? inputGrad : next._pendingGrad + inputGrad;
                }

                if (--next._dependencies == 0)
                {
                    stack.Push(next);
                }
            }
        }
    }

    private static Tensor FitToInput(Node node, int index, Tensor grad, int[] inputShape)
    {
        if (grad._shape == inputShape || grad._shape.AsSpan().SequenceEqual(inputShape))
        {
            return grad;
        }

        if (!Broadcasting.CanSumTo(grad._shape, inputShape))
        {
            throw new InvalidOperationException(
                $"Function {node.Name} returned an invalid gradient at index {index} - got {Shape.Format(grad._shape)} but expected shape compatible with {Shape.Format(inputShape)}");
        }

        return grad.SumTo(inputShape);
    }

    /// <summary>Adds <paramref name="grad"/> into <paramref name="variable"/>'s gradient, or overwrites it after <see cref="Tensor.AttachGrad"/>.</summary>
    private static void Accumulate(Tensor variable, Tensor grad, bool createGraph)
    {
        Tensor? existing = variable.Grad;
        if (existing is null || variable._overwritesGrad)
        {
            // The incoming tensor may be a user's tensor or a saved one (AddBackward passes its gradient through),
            // so the leaf gets its own copy unless the graph of the gradient itself is wanted.
            variable.Grad = createGraph ? grad : grad.Detach().CloneData();
            return;
        }

        if (createGraph || existing.RequiresGrad || !existing.IsContiguous)
        {
            variable.Grad = createGraph ? existing + grad : (existing + grad).Detach();
            return;
        }

        Span<float> target = existing.AsSpan();
        TensorPrimitives.Add(target, grad.ContiguousData(), target);
    }
}
