using System.Runtime;

namespace Autograd.Kernels;

/// <summary>
/// Hands a large storage array back to <see cref="BufferPool"/> once nothing at all can reach the array: no tensor, no
/// view, no span, no reference of any kind.
/// </summary>
/// <remarks>
/// <para>
/// The lease is keyed to the array itself, not to a tensor: a <see cref="DependentHandle"/> keeps the lease alive
/// exactly as long as the array is alive, and nothing else references the lease but the tensor that created it. So the
/// lease becomes unreachable only in a collection that finds the array unreachable, and its finalizer then puts the
/// array back into the pool (after a second such collection, see the finalizer). Whatever can read or write the array (a tensor, a view, a span on some thread's
/// stack, a user's copy of the reference) keeps it reachable, and the garbage collector is what proves that none is
/// left; no call site has to keep anything alive by hand.
/// </para>
/// <para>
/// The price of that proof is timing: such arrays live on the large-object heap, which only full (gen-2) collections
/// examine, so a dead tensor's array comes back after the second full collection the runtime runs on its own (the
/// library requests none). Arrays below the large-object size get no lease: a gen-0 allocation is cheap, and a lease
/// keyed to an array that has aged past gen 0 would return it only at collections of its generation.
/// </para>
/// </remarks>
internal sealed class StorageLease
{
    private float[]? _array;
    private DependentHandle _handle;
    private bool _checkedForResurrection;

    internal StorageLease(float[] array)
    {
        _array = array;
        _handle = new DependentHandle(array, this);
    }

    /// <summary>
    /// Called when the engine returns the storage itself (it has proved nothing else references it): the lease must
    /// then not return it a second time.
    /// </summary>
    internal void Disarm()
    {
        _array = null;
        _handle.Dispose();
#pragma warning disable CA1816 // not IDisposable: a disarmed lease has nothing left to finalize, so skip the queue
        GC.SuppressFinalize(this);
#pragma warning restore CA1816
    }

    /// <summary>
    /// Runs after a collection found both this lease and its array unreachable from anything but each other, and the
    /// finalization queue made both reachable again. The first time, the array is not handed out yet: another
    /// finalizer of the same collection may have resurrected a tensor of it (a finalizable object that held the
    /// tensor), so the lease pairs itself with the array again and waits for the next collection of the array's
    /// generation; if nothing reaches the array then either, the second run returns it.
    /// </summary>
    ~StorageLease()
    {
        _handle.Dispose();
        if (_array is not { } array)
        {
            return;
        }

        if (!_checkedForResurrection)
        {
            _checkedForResurrection = true;
            _handle = new DependentHandle(array, this);
            GC.ReRegisterForFinalize(this);
            return;
        }

        _array = null;
        BufferPool.ReturnUnreachable(array);
    }
}
