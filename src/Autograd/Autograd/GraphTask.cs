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
/// <c>_pendingGrad</c>, <c>_pendingOwned</c>) that a pass may borrow: when it first reaches a node it claims the node
/// with a compare-and-swap on <c>Node._task</c>, which succeeds if no pass holds the node or the one that did has
/// finished. A node held by another pass that is still running (two threads back-propagating through a shared graph
/// with <c>retainGraph</c>) gets a slot in this pass's own dictionary instead. The fields serve the common case
/// without a hash lookup per node (a dictionary for every node made the 10,000-node <c>deep</c> chain markedly slower);
/// the dictionary makes concurrent passes correct. A pass never touches the fields of a node it has not claimed, and a
/// claim is only taken from a finished pass, so two passes never share a slot.
/// </para>
/// <para>
/// <b>Ownership.</b> While a built-in node's <see cref="Node.Apply"/> runs, this pass is <see cref="Applying"/> on the
/// thread, and every tensor created with fresh storage in that time records it (<c>Tensor._madeBy</c>). The engine
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

    private volatile bool _finished;
    private Dictionary<Node, Slot>? _spilled;
    private Node? _applyingNode;
    private GradAccumulation? _offers;

    internal GraphTask(bool retainGraph, bool createGraph)
    {
        RetainGraph = retainGraph;
        CreateGraph = createGraph;
        Stack = Interlocked.Exchange(ref t_spareStack, null) ?? new Stack<Node>();
    }

    internal bool RetainGraph { get; }

    internal bool CreateGraph { get; }

    /// <summary>Nodes ready to run (all their gradients delivered), or being discovered while counting.</summary>
    internal Stack<Node> Stack { get; }

    /// <summary>Leaves whose gradient this pass already overwrote (after <see cref="Tensor.AttachGrad"/>).</summary>
    internal HashSet<Tensor>? Overwritten { get; set; }

    /// <summary>The pass whose built-in node is computing its input gradients on this thread, if any.</summary>
    internal static GraphTask? Applying => t_applying;

    /// <summary>The targets offered to <paramref name="node"/> while it runs (see <see cref="GradAccumulation"/>), else null.</summary>
    internal static GradAccumulation? OffersFor(Node node) =>
        t_applying is { } task && ReferenceEquals(task._applyingNode, node) ? task._offers : null;

    /// <summary>
    /// Runs a built-in node's <see cref="Node.Apply"/> with this pass as the owner of the storage it creates, and with
    /// <paramref name="offers"/> (or none) open to it.
    /// </summary>
    internal Tensor?[] ApplyOwned(Node node, Tensor grad, GradAccumulation? offers)
    {
        GraphTask? outer = t_applying;
        Node? outerNode = _applyingNode;
        GradAccumulation? outerOffers = _offers;
        t_applying = this;
        _applyingNode = node;
        _offers = offers;
        try
        {
            return node.Apply(grad);
        }
        finally
        {
            _applyingNode = outerNode;
            _offers = outerOffers;
            t_applying = outer;
        }
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

        if ((holder is null || holder._finished) && ReferenceEquals(Interlocked.CompareExchange(ref node._task, this, holder), holder))
        {
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
