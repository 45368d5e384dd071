namespace Autograd;

/// <summary>The pack/unpack pair in force for tensors saved for backward (see <see cref="Autodiff.SavedTensorHooks"/>).</summary>
internal sealed class SavedTensorHooks(Func<Tensor, object> pack, Func<object, Tensor> unpack, SavedTensorHooks? outer)
{
    private static readonly AsyncLocal<SavedTensorHooks?> s_current = new();

    // Scopes open anywhere in the process: while zero, saving a tensor does not read the flow-local value.
    private static int s_open;

    internal Func<Tensor, object> Pack { get; } = pack;

    internal Func<object, Tensor> Unpack { get; } = unpack;

    internal static SavedTensorHooks? Current => Volatile.Read(ref s_open) == 0 ? null : s_current.Value;

    internal static IDisposable Open(Func<Tensor, object> pack, Func<object, Tensor> unpack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(unpack);
        var hooks = new SavedTensorHooks(pack, unpack, s_current.Value);
        Interlocked.Increment(ref s_open);
        s_current.Value = hooks;
        return new Scope(hooks);
    }

    private sealed class Scope(SavedTensorHooks hooks) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                s_current.Value = hooks._outer;
                Interlocked.Decrement(ref s_open);
            }
        }
    }

    private readonly SavedTensorHooks? _outer = outer;
}
