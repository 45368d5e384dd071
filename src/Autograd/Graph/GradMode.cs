namespace Autograd;

/// <summary>
/// The switches that decide what operations record: PyTorch's <c>torch.no_grad</c>/<c>enable_grad</c>/<c>set_grad_enabled</c>,
/// <c>inference_mode</c> and <c>detect_anomaly</c>, plus MXNet's training flag. Scopes nest and restore the previous
/// state when disposed, also when an exception unwinds through them.
/// </summary>
/// <remarks>
/// <para>
/// The state follows the logical flow of control, not the thread: it lives in an <see cref="AsyncLocal{T}"/>, so a
/// <c>NoGrad</c> scope around code that <c>await</c>s stays in force when the continuation resumes on another thread,
/// and work started inside a scope (<c>Task.Run</c>, <c>Parallel.For</c>, a new <see cref="Thread"/>) inherits the
/// scope's state, as any <see cref="ExecutionContext"/> data does (suppress the flow with
/// <see cref="ExecutionContext.SuppressFlow"/> to start such work with the defaults). Changes made inside that work do
/// not leak back to the code that started it, and a scope must be disposed in the flow that opened it.
/// </para>
/// <para>
/// Each thread mirrors the current flow's state in thread-static fields, updated by the runtime whenever the flow's
/// value changes on that thread (the <see cref="AsyncLocal{T}"/> change callback), so every op reads a plain
/// thread-static field, as before the state became flow-local.
/// </para>
/// <para>
/// Inside a backward pass the engine sets recording to the pass's <c>createGraph</c> for the calling thread only, as
/// PyTorch's engine does on its threads: scopes opened by hooks or custom backward functions during the pass change
/// that thread-local mode and are undone with it, and work a hook starts elsewhere (<c>Task.Run</c>) sees the flow's
/// state, not the pass's.
/// </para>
/// </remarks>
public static class GradMode
{
    private const int DisabledBit = 1;
    private const int TrainingBit = 2;
    private const int InferenceBit = 4;
    private const int AnomalyBit = 8;
    private const int CheckNanBit = 16;

    private static readonly AsyncLocal<int> s_flow = new(OnFlowChanged);

    [ThreadStatic]
    private static bool t_disabled;

    [ThreadStatic]
    private static bool t_training;

    [ThreadStatic]
    private static bool t_inference;

    [ThreadStatic]
    private static bool t_anomaly;

    [ThreadStatic]
    private static bool t_checkNan;

    /// <summary>How many backward passes this thread is running (nested when a hook or backward runs another).</summary>
    [ThreadStatic]
    private static int t_passDepth;

    /// <summary>The modes in force inside the innermost backward pass of this thread (see <see cref="EnterPass"/>).</summary>
    [ThreadStatic]
    private static int t_passState;

    /// <summary>Whether operations record graph nodes (PyTorch's <c>torch.is_grad_enabled()</c>).</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Whether training mode is on, as set by <see cref="Record"/> (MXNet's <c>autograd.is_training()</c>).</summary>
    public static bool IsTraining => t_training;

    /// <summary>Whether an <see cref="InferenceMode"/> scope is in force (PyTorch's <c>torch.is_inference_mode_enabled()</c>).</summary>
    public static bool IsInferenceModeEnabled => t_inference;

    /// <summary>Whether anomaly detection is on (PyTorch's <c>torch.is_anomaly_enabled()</c>).</summary>
    public static bool IsAnomalyEnabled => t_anomaly;

    /// <summary>Whether anomaly detection also checks backward results for NaN and infinity.</summary>
    public static bool IsAnomalyCheckNanEnabled => t_anomaly && t_checkNan;

    internal static bool Inference => t_inference;

    /// <summary>Disables recording until the returned scope is disposed (PyTorch's <c>with torch.no_grad():</c>).</summary>
    public static Scope NoGrad() => Change(DisabledBit, DisabledBit);

    /// <summary>Enables recording until the returned scope is disposed (PyTorch's <c>with torch.enable_grad():</c>).</summary>
    public static Scope EnableGrad() => Change(DisabledBit, 0);

    /// <summary>
    /// Enables recording and training mode until the returned scope is disposed (MXNet's <c>with autograd.record():</c>).
    /// </summary>
    public static Scope Record(bool trainMode = true) => Change(DisabledBit | TrainingBit, trainMode ? TrainingBit : 0);

    /// <summary>Sets recording on or off until the returned scope is disposed (PyTorch's <c>torch.set_grad_enabled</c>).</summary>
    public static Scope Set(bool enabled) => Change(DisabledBit, enabled ? 0 : DisabledBit);

    /// <summary>
    /// Turns inference mode on (or off) until the returned scope is disposed (PyTorch's <c>torch.inference_mode</c>):
    /// nothing records, and tensors created inside are inference tensors, which a graph built later refuses to save
    /// (PyTorch's messages) and which cannot be made to require grad outside the mode.
    /// </summary>
    public static Scope InferenceMode(bool mode = true) =>
        Change(DisabledBit | InferenceBit, mode ? DisabledBit | InferenceBit : 0);

    /// <summary>
    /// Turns anomaly detection on until the returned scope is disposed (PyTorch's <c>torch.autograd.detect_anomaly</c>):
    /// every node records where in the caller's code it was created, a backward result holding NaN or infinity (with
    /// <paramref name="checkNan"/>) raises an exception naming the node and that place, and the in-place modification
    /// error names it too. Capturing the call site costs a stack walk per node; off, nothing is recorded.
    /// </summary>
    public static Scope DetectAnomaly(bool checkNan = true) =>
        Change(AnomalyBit | CheckNanBit, AnomalyBit | (checkNan ? CheckNanBit : 0));

    /// <summary>True when an op on these inputs must record a node: grad mode is on and an input requires grad.</summary>
    internal static bool ShouldRecord(Tensor a) => !t_disabled && a.RequiresGrad;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor a, Tensor b) => !t_disabled && (a.RequiresGrad || b.RequiresGrad);

    private static Scope Change(int mask, int bits)
    {
        if (t_passDepth > 0)
        {
            int before = t_passState;
            t_passState = (before & ~mask) | bits;
            Apply(t_passState);
            return new Scope(before, ScopeKind.Pass);
        }

        int previous = s_flow.Value;
        int next = (previous & ~mask) | bits;
        if (next == previous)
        {
            return default;   // an AsyncLocal write costs ~50 ns and a copy of the execution context; skip no-ops
        }

        s_flow.Value = next;
        return new Scope(previous, ScopeKind.Flow);
    }

    /// <summary>
    /// Sets recording to <paramref name="createGraph"/> for a backward pass on this thread, without touching the
    /// flow-local state: the engine runs a pass synchronously on the calling thread, so, as in PyTorch's engine, the
    /// pass's mode is thread-local, and scopes that hooks or custom backward functions open inside it change that
    /// thread-local mode. Writing the flow-local value instead cost two <see cref="AsyncLocal{T}"/> writes per pass,
    /// about a fifth of the <c>tiny</c> workload's step (1.17 µs before the state became flow-local).
    /// </summary>
    internal static PassScope EnterPass(bool createGraph)
    {
        var scope = new PassScope(t_passState);
        int state = t_passDepth > 0 ? t_passState : s_flow.Value;
        t_passState = createGraph ? state & ~DisabledBit : state | DisabledBit;
        t_passDepth++;
        Apply(t_passState);
        return scope;
    }

    private static void OnFlowChanged(AsyncLocalValueChangedArgs<int> change) =>
        Apply(t_passDepth > 0 ? t_passState : change.CurrentValue);

    private static void Apply(int state)
    {
        t_disabled = (state & DisabledBit) != 0;
        t_training = (state & TrainingBit) != 0;
        t_inference = (state & InferenceBit) != 0;
        t_anomaly = (state & AnomalyBit) != 0;
        t_checkNan = (state & CheckNanBit) != 0;
    }

    internal enum ScopeKind : byte
    {
        None,
        Flow,
        Pass,
    }

    /// <summary>Ends a backward pass's thread-local mode (see <see cref="EnterPass"/>).</summary>
    internal readonly struct PassScope : IDisposable
    {
        private readonly int _outerState;

        internal PassScope(int outerState) => _outerState = outerState;

        public void Dispose()
        {
            t_passState = _outerState;
            t_passDepth--;
            Apply(t_passDepth > 0 ? t_passState : s_flow.Value);
        }
    }

    /// <summary>Restores the modes that were in force when it was opened, when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;
        private readonly ScopeKind _kind;

        internal Scope(int previous, ScopeKind kind)
        {
            _previous = previous;
            _kind = kind;
        }

        /// <summary>Restores the modes that were in force when the scope was opened.</summary>
        public void Dispose()
        {
            switch (_kind)
            {
                case ScopeKind.Flow:
                    s_flow.Value = _previous;
                    break;
                case ScopeKind.Pass when t_passDepth > 0:
                    t_passState = _previous;
                    Apply(_previous);
                    break;
            }
        }
    }
}
