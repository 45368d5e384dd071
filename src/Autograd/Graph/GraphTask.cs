using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autograd;

/// <summary>
/// The state of one backward pass (PyTorch's <c>GraphTask</c>): for every node it will run, how many edges still
/// have to deliver a gradient and the sum of those delivered so far; the leaves this pass overwrites after
/// <see cref="Tensor.AttachGrad"/>; and the identity that marks the storage this pass creates as its own.
/// </summary>
/// <remarks>
/// <para>
/// <b>Where a node's per-pass slot lives.</b> Each node has one slot's worth of fields (<c>_dependencies</c>,
/// <c>_pendingGrad</c>, <c>_pendingOwned</c>) that a pass may borrow, and only a pass on the thread that created the
/// node (where its forward ran): it claims the node by writing <c>Node._task</c> if no pass holds it or the one that
/// did has finished. Every other pass, on another thread (two threads back-propagating through a shared graph with
/// <c>retainGraph</c>, or a backward resumed on another thread) or nested inside a pass that holds the node, keeps the
/// node's slot in its own dictionary. So a node's fields are only ever touched by the one thread that created it, and
/// by one pass at a time there: no atomic operation is needed. The fields serve the common case without a hash lookup
/// (a dictionary for every node made the 10,000-node <c>deep</c> chain markedly slower), and an interlocked claim per
/// node cost that chain about 8% (measured: 1,183 against 1,094 µs, best of 120 samples).
/// </para>
/// <para>
/// <b>Ownership.</b> While the pass runs, it is <see cref="Applying"/> on its thread, and every tensor created with fresh
/// storage in that time (by its nodes, or by the engine's own sums) records it (<c>Tensor._madeBy</c>). It is set once
/// per pass rather than around each node: the engine consults it only for gradients returned by built-in nodes, which
/// keep no reference to what they create, and a pass started inside a node sets and restores its own. The engine
/// treats a returned gradient as its own (free to adopt as a leaf's gradient, to add into in place, or to recycle)
/// only if it was made by this pass: an object identity, which no tensor made on another thread, before the pass, or
/// by another pass can carry. Each pass is a new object, so identities are never reused.
/// </para>
/// </remarks>
internal sealed class GraphTask
{
    [ThreadStatic]
    private static GraphTask? t_applying;

    [ThreadStatic]
    private static Stack<Node>? t_spareStack;

    private readonly int _thread = Environment.CurrentManagedThreadId;
    private bool _finished;
    private Dictionary<Node, Slot>? _spilled;
    private Node? _applyingNode;
    private GradAccumulation? _offers;

    internal GraphTask(bool retainGraph, bool createGraph)
    {
        RetainGraph = retainGraph;
        CreateGraph = createGraph;
        Stack = t_spareStack ?? new Stack<Node>();
        t_spareStack = null;   // a pass started inside a node of this one takes a stack of its own
    }

    internal bool RetainGraph { get; }

    internal bool CreateGraph { get; }

    /// <summary>Nodes ready to run (all their gradients delivered), or being discovered while counting.</summary>
    internal Stack<Node> Stack { get; }

    /// <summary>Leaves whose gradient this pass already overwrote (after <see cref="Tensor.AttachGrad"/>).</summary>
    internal HashSet<Tensor>? Overwritten { get; set; }

    /// <summary>
    /// The nodes whose incoming gradient this pass is asked for (PyTorch's <c>inputs</c> of <c>autograd.grad</c> and
    /// of <c>backward(inputs=…)</c>): a leaf's sink or a non-leaf's grad_fn, with the index of the first input it
    /// stands for. Null for a plain backward pass, which accumulates into every leaf.
    /// </summary>
    internal Dictionary<Node, int>? Targets { get; init; }

    /// <summary>The tensors the targets stand for, in the caller's order.</summary>
    internal IReadOnlyList<Tensor>? Inputs { get; init; }

    /// <summary>With <see cref="Targets"/>: the nodes from which a target can be reached (only they run).</summary>
    internal HashSet<Node>? Reaching { get; set; }

    /// <summary>Whether targets receive their gradient in <see cref="Captured"/> (autograd.grad) rather than in <c>.Grad</c>.</summary>
    internal bool Captures { get; init; }

    /// <summary>The gradient captured for each target, by the index of its first input.</summary>
    internal Tensor?[]? Captured { get; init; }

    /// <summary>Callbacks queued during this pass (PyTorch's <c>queue_callback</c>), run in order when it ends.</summary>
    internal List<Action>? Callbacks { get; set; }

    /// <summary>The pass running on this thread, if any.</summary>
    internal static GraphTask? Current => t_applying;

    /// <summary>
    /// Whether a leaf's sink takes part in this pass as a scheduled node (its gradients summed over the pass before
    /// they reach it) rather than accumulating each gradient as it arrives: when it is a target, or when hooks must
    /// see the pass's total gradient.
    /// </summary>
    internal bool Schedules(AccumulateGrad sink) => sink._hooks is not null || (Targets?.ContainsKey(sink) ?? false);

    /// <summary>Whether gradients reaching an unscheduled sink are accumulated into its leaf (a plain pass).</summary>
    internal bool AccumulatesAll => Targets is null;

    /// <summary>With targets: whether <paramref name="node"/> runs at all (it is a target or reaches one).</summary>
    internal bool Runs(Node node) => Targets is null || Reaching!.Contains(node) || Targets.ContainsKey(node);

    /// <summary>The backward pass running on this thread, if any (the owner of the storage created now).</summary>
    internal static GraphTask? Applying => t_applying;

    /// <summary>The targets offered to <paramref name="node"/> while it runs (see <see cref="GradAccumulation"/>), else null.</summary>
    internal static GradAccumulation? OffersFor(Node node) =>
        t_applying is { } task && ReferenceEquals(task._applyingNode, node) ? task._offers : null;

    /// <summary>Makes this pass the owner of the storage created on this thread; returns the pass it replaces.</summary>
    internal GraphTask? Enter()
    {
        GraphTask? outer = t_applying;
        t_applying = this;
        return outer;
    }

    /// <summary>Restores the owner <see cref="Enter"/> replaced.</summary>
    internal static void Exit(GraphTask? outer) => t_applying = outer;

    /// <summary>Runs a built-in node's <see cref="Node.Apply"/> with <paramref name="offers"/> (or none) open to it.</summary>
    internal Tensor?[] ApplyOwned(Node node, Tensor grad, GradAccumulation? offers)
    {
        _applyingNode = node;
        _offers = offers;
        Tensor?[] result = node.Apply(grad);
        _applyingNode = null;
        _offers = null;
        return result;
    }

    /// <summary>Whether this pass created <paramref name="tensor"/>'s storage while one of its built-in nodes ran.</summary>
    internal bool Made(Tensor tensor) => ReferenceEquals(tensor._madeBy, this);

    /// <summary>
    /// Marks <paramref name="node"/> as part of this pass, with no dependencies and nothing delivered yet. Returns
    /// false if it already was.
    /// </summary>
    internal bool Discover(Node node)
    {
        GraphTask? holder = node._task;
        if (ReferenceEquals(holder, this) || (_spilled?.ContainsKey(node) ?? false))
        {
            return false;
        }

        if (node._thread == _thread && (holder is null || holder._finished))
        {
            node._task = this;
            node._dependencies = 0;
            node._pendingGrad = null;
            node._pendingOwned = false;
            return true;
        }

        (_spilled ??= new Dictionary<Node, Slot>(ReferenceEqualityComparer.Instance))[node] = default;
        return true;
    }

    /// <summary>The number of edges into <paramref name="node"/> that have not delivered yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref int Dependencies(Node node) =>
        ref ReferenceEquals(node._task, this) ? ref node._dependencies : ref SpilledSlot(node).Dependencies;

    /// <summary>The sum of the gradients delivered to <paramref name="node"/> so far.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref Tensor? Pending(Node node) =>
        ref ReferenceEquals(node._task, this) ? ref node._pendingGrad : ref SpilledSlot(node).Pending;

    /// <summary>Whether only this pass references <see cref="Pending"/>'s storage (it may add into it and recycle it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref bool PendingOwned(Node node) =>
        ref ReferenceEquals(node._task, this) ? ref node._pendingOwned : ref SpilledSlot(node).Owned;

    /// <summary>Ends the pass: its claims on nodes may be taken by later passes, and its stack is kept for the next.</summary>
    internal void Finish()
    {
        _spilled = null;
        _finished = true;
        Stack.Clear();
        t_spareStack = Stack;
    }

    private ref Slot SpilledSlot(Node node)
    {
        ref Slot slot = ref CollectionsMarshal.GetValueRefOrNullRef(_spilled!, node);
        if (Unsafe.IsNullRef(ref slot))
        {
            throw new InvalidOperationException($"{node.Name} is not part of this backward pass.");
        }

        return ref slot;
    }

    private struct Slot
    {
        public int Dependencies;
        public Tensor? Pending;
        public bool Owned;
    }
}
