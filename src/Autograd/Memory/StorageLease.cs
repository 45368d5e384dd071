using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>
/// Hands a tensor's pooled storage back to <see cref="BufferPool"/> once the tensor that owns it is unreachable.
/// </summary>
/// <remarks>
/// The owning tensor is the only tensor that references its lease, and every view of the storage references that
/// owner, so the owner is unreachable only when no tensor of the storage can be reached by anyone. Kernels that hold a
/// span of the storage keep the owning tensor alive until they are done (see <c>GC.KeepAlive</c> in the ops).
/// </remarks>
internal abstract class StorageLease
{
    /// <summary>Called when the engine returns the storage itself: the lease must then not return it again.</summary>
    internal abstract void Disarm();
}

/// <summary>
/// The lease of an array on the large-object heap: its finalizer returns the array to the pool shared by all threads.
/// A finalizer, because such arrays are few and large, and may be dropped on any thread.
/// </summary>
internal sealed class FinalizerLease : StorageLease
{
    private float[]? _array;

    internal FinalizerLease(float[] array)
    {
        _array = array;
        BufferPool.LeaseArmed(array.Length);
    }

    internal override void Disarm()
    {
        if (_array is { } array)
        {
            BufferPool.LeaseDisarmed(array.Length);
        }

        _array = null;
#pragma warning disable CA1816 // not IDisposable: a disarmed lease has nothing left to finalize, so skip the queue
        GC.SuppressFinalize(this);
#pragma warning restore CA1816
    }

    ~FinalizerLease()
    {
        if (_array is { } array)
        {
            BufferPool.ReturnUnreachable(array);
        }
    }
}

/// <summary>
/// The lease of an array below the large-object size: a weak handle to the owning tensor, which the creating thread's
/// <see cref="StorageTracker"/> checks after collections. No finalizer: allocating a finalizable object costs more
/// than an element-wise op on a few thousand floats, and finalizers return arrays only after the finalizer thread
/// has run.
/// </summary>
/// <remarks>
/// The handle tracks resurrection, so an owner that a finalizer could still bring back (a finalizable object holding
/// it) is not taken for dead until that finalizer has run and the owner is really gone.
/// </remarks>
internal sealed class TrackedLease : StorageLease
{
    private GCHandle _owner;   // not readonly: Free() clears it in place
    private float[]? _array;

    internal TrackedLease(object owner, float[] array)
    {
        _owner = GCHandle.Alloc(owner, GCHandleType.WeakTrackResurrection);
        _array = array;
        BufferPool.LeaseArmed(array.Length);
    }

    /// <summary>Only clears the array: the tracker frees the handle, so a scan never reads a freed one.</summary>
    internal override void Disarm()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            BufferPool.LeaseDisarmed(array.Length);
        }
    }

    /// <summary>
    /// Whether the tracker can forget this lease: true once it is disarmed or its owner is gone, in which case the
    /// handle is freed and <paramref name="unreachable"/> is the array to recycle (null when disarmed).
    /// </summary>
    internal bool TryEnd(out float[]? unreachable)
    {
        unreachable = null;
        if (Volatile.Read(ref _array) is not null && _owner.Target is not null)
        {
            return false;
        }

        unreachable = Interlocked.Exchange(ref _array, null);
        _owner.Free();
        if (unreachable is not null)
        {
            BufferPool.LeaseEnded(unreachable.Length);
        }

        return true;
    }

    /// <summary>Frees the handle of a lease whose tracker is being finalized (its thread has ended).</summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            BufferPool.LeaseEnded(array.Length);
        }

        if (_owner.IsAllocated)
        {
            _owner.Free();
        }
    }
}
