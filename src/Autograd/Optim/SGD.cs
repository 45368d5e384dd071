using Autograd.Kernels;

namespace Autograd.Optim;

/// <summary>
/// Stochastic gradient descent, optionally with momentum (PyTorch's <c>torch.optim.SGD</c>), applied in place in one
/// fused pass per parameter, outside the graph:
/// <c>d = ∇p (+ λp)</c>; with momentum μ: <c>b ← μb + (1−τ)d</c> (<c>b = d</c> at the first step),
/// <c>d = nesterov ? d + μb : b</c>; then <c>p ← p − lr·d</c> (<c>+</c> with <c>maximize</c>).
/// </summary>
/// <remarks>
/// <c>p -= lr * p.Grad</c> written by hand allocates the product first (for a 784×256 weight, 800 KB per step, on the
/// large-object heap); <see cref="Optimizer.Step()"/> reads the gradient and writes the parameter once, allocating
/// nothing. Together with <see cref="Optimizer.ZeroGrad"/> (which zeroes gradients in place, PyTorch 1.13's default), a
/// training step reuses every gradient buffer instead of allocating new ones.
/// </remarks>
public sealed class SGD : Optimizer
{
    /// <summary>Creates plain SGD (no momentum) over <paramref name="parameters"/> with step size <paramref name="learningRate"/>.</summary>
    public SGD(IEnumerable<Tensor> parameters, float learningRate)
        : this(Single(parameters), (double)learningRate)
    {
    }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>; see the class for the update.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0,
        bool nesterov = false, bool maximize = false)
        : this(Single(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups whose unset options take these defaults.</summary>
    public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0,
        bool nesterov = false, bool maximize = false)
        : base(paramGroups, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize))
    {
    }

    /// <summary>The learning rate of the first group; setting it sets every group's.</summary>
    public float LearningRate
    {
        get => (float)ParamGroups[0].LearningRate;
        set
        {
            foreach (ParamGroup group in ParamGroups)
            {
                group.LearningRate = value;
            }
        }
    }

    private static Dictionary<string, object> MakeDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        Check(lr >= 0, "learning rate", lr, nameof(lr));
        Check(momentum >= 0, "momentum value", momentum, nameof(momentum));
        Check(weightDecay >= 0, "weight_decay value", weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening", nameof(nesterov));
        }

        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov,
            ["maximize"] = maximize,
        };
    }

    private protected override bool UpdateNeedsNoGrad => false;

    /// <inheritdoc/>
    protected override void Update(ParamGroup group)
    {
        double lr = group.LearningRate, momentum = group.Momentum, dampening = group.Dampening, weightDecay = group.WeightDecay;
        bool nesterov = group.Nesterov, maximize = group.Maximize;
        foreach (Tensor p in group.Items)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            Tensor? buffer = null;
            bool first = false;
            if (momentum != 0)
            {
                State? state = GetState<State>(p);
                if (state?.MomentumBuffer is null)
                {
                    state ??= new State();
                    state.MomentumBuffer = Tensor.ZerosLike(p, p.DType);
                    SetState(p, state);
                    first = true;
                }

                buffer = state.MomentumBuffer;
            }

            OptimizerUpdate.Sgd(p, grad, buffer, first, lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }

    private protected override Dictionary<string, object> SaveState(object state) =>
        ((State)state).MomentumBuffer is { } buffer ? new() { ["momentum_buffer"] = buffer } : [];

    private protected override object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved) =>
        new State { MomentumBuffer = CopyOptionalBuffer(parameter, saved, "momentum_buffer") };

    private sealed class State
    {
        public Tensor? MomentumBuffer;
    }
}
