namespace Autograd;

/// <summary>
/// Thread-local switches for recording (PyTorch's <c>torch.no_grad</c>/<c>torch.enable_grad</c>) and
/// MXNet's training flag. Each thread starts with recording on and training off; scopes nest and restore
/// the previous state when disposed, also when an exception unwinds through them.
/// </summary>
public static class GradMode
{
    [ThreadStatic]
    private static bool s_disabled;

    [ThreadStatic]
    private static bool s_training;

    /// <summary>Whether operations on this thread record graph nodes (PyTorch's <c>torch.is_grad_enabled()</c>).</summary>
    public static bool IsEnabled => !s_disabled;

    /// <summary>Whether this thread is in training mode, as set by <see cref="Record"/> (MXNet's <c>autograd.is_training()</c>).</summary>
    public static bool IsTraining => s_training;

    /// <summary>Disables recording until the returned scope is disposed (PyTorch's <c>with torch.no_grad():</c>).</summary>
    public static Scope NoGrad() => Set(enabled: false, s_training);

    /// <summary>Enables recording until the returned scope is disposed (PyTorch's <c>with torch.enable_grad():</c>).</summary>
    public static Scope EnableGrad() => Set(enabled: true, s_training);

    /// <summary>
    /// Enables recording and training mode until the returned scope is disposed (MXNet's <c>with autograd.record():</c>).
    /// </summary>
    public static Scope Record(bool trainMode = true) => Set(enabled: true, trainMode);

    /// <summary>Sets recording on or off for this thread until the returned scope is disposed.</summary>
    public static Scope Set(bool enabled) => Set(enabled, s_training);

    private static Scope Set(bool enabled, bool training)
    {
        var scope = new Scope(!s_disabled, s_training);
        s_disabled = !enabled;
        s_training = training;
        return scope;
    }

    /// <summary>True when an op on these inputs must record a node: grad mode is on and an input requires grad.</summary>
    internal static bool ShouldRecord(Tensor a) => !s_disabled && a.RequiresGrad;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor a, Tensor b) => !s_disabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>Restores the previous grad mode when disposed. Dispose on the thread that created it.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previousEnabled;
        private readonly bool _previousTraining;

        internal Scope(bool previousEnabled, bool previousTraining)
        {
            _previousEnabled = previousEnabled;
            _previousTraining = previousTraining;
        }

        /// <summary>Restores the grad mode that was in force when the scope was opened.</summary>
        public void Dispose()
        {
            s_disabled = !_previousEnabled;
            s_training = _previousTraining;
        }
    }
}
