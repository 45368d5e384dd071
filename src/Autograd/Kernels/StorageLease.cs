namespace Autograd.Kernels;

/// <summary>
/// Hands a tensor's pooled storage back to <see cref="BufferPool"/> once the tensor that owns it is unreachable.
/// </summary>
/// <remarks>
/// The owning tensor is the only object that references its lease, and every view of the storage references that
/// owner, so the lease's finalizer runs only after no tensor of the storage can be reached by anyone. Kernels that
/// hold a span of the storage keep the owning tensor alive until they are done (see <c>GC.KeepAlive</c> in the ops).
/// </remarks>
internal sealed class StorageLease
{
    private float[]? _array;

    internal StorageLease(float[] array)
    {
        _array = array;
        BufferPool.LeaseArmed(array.Length);
    }

    /// <summary>Called when the engine returns the storage itself: the finalizer must then not return it again.</summary>
    internal void Disarm()
    {
        if (_array is { } array)
        {
            BufferPool.LeaseEnded(array.Length);
        }

        _array = null;
#pragma warning disable CA1816 // not IDisposable: a disarmed lease has nothing left to finalize, so skip the queue
        GC.SuppressFinalize(this);
#pragma warning restore CA1816
    }

    ~StorageLease()
    {
        if (_array is { } array)
        {
            BufferPool.ReturnUnreachable(array);
        }
    }
}
