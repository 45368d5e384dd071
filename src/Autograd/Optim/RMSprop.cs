using Autograd.Kernels;

namespace Autograd.Optim;

/// <summary>
/// RMSprop (PyTorch's <c>torch.optim.RMSprop</c>): with <c>g = ±∇p + λp</c>, <c>s ← αs + (1−α)g²</c>; centered:
/// <c>ḡ ← αḡ + (1−α)g</c> and <c>avg = √(s − ḡ²) + ε</c>, else <c>avg = √s + ε</c>; with momentum μ
/// <c>b ← μb + g/avg</c>, <c>p ← p − lr·b</c>, else <c>p ← p − lr·g/avg</c>. One fused pass per parameter.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : this(Single(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups whose unset options take these defaults.</summary>
    public RMSprop(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : base(paramGroups, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize))
    {
    }

    private static Dictionary<string, object> MakeDefaults(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
    {
        Check(lr >= 0, "learning rate", lr, nameof(lr));
        Check(eps >= 0, "epsilon value", eps, nameof(eps));
        Check(momentum >= 0, "momentum value", momentum, nameof(momentum));
        Check(weightDecay >= 0, "weight_decay value", weightDecay, nameof(weightDecay));
        Check(alpha >= 0, "alpha value", alpha, nameof(alpha));
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["alpha"] = alpha,
            ["eps"] = eps,
            ["centered"] = centered,
            ["weight_decay"] = weightDecay,
            ["maximize"] = maximize,
        };
    }

    private protected override bool UpdateNeedsNoGrad => false;

    /// <inheritdoc/>
    protected override void Update(ParamGroup group)
    {
        double lr = group.LearningRate, alpha = group.Alpha, eps = group.Eps, weightDecay = group.WeightDecay, momentum = group.Momentum;
        bool centered = group.Centered, maximize = group.Maximize;
        foreach (Tensor p in group.Items)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            State? state = GetState<State>(p);
            if (state is null)
            {
                state = new State(Tensor.ZerosLike(p, p.DType));
                SetState(p, state);
            }

            if (momentum > 0)
            {
                state.MomentumBuffer ??= Tensor.ZerosLike(p, p.DType);
            }

            if (centered)
            {
                state.GradAvg ??= Tensor.ZerosLike(p, p.DType);
            }

            state.Step++;
            OptimizerUpdate.RmsProp(p, grad, state.SquareAvg, centered ? state.GradAvg : null, momentum > 0 ? state.MomentumBuffer : null,
                lr, alpha, eps, weightDecay, momentum, maximize);
        }
    }

    private protected override Dictionary<string, object> SaveState(object state)
    {
        var s = (State)state;
        var entries = new Dictionary<string, object> { ["step"] = s.Step, ["square_avg"] = s.SquareAvg };
        if (s.MomentumBuffer is { } buffer)
        {
            entries["momentum_buffer"] = buffer;
        }

        if (s.GradAvg is { } gradAvg)
        {
            entries["grad_avg"] = gradAvg;
        }

        return entries;
    }

    private protected override object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved) =>
        new State(CopyBuffer(parameter, saved, "square_avg"))
        {
            Step = (long)ReadStep(saved),
            MomentumBuffer = CopyOptionalBuffer(parameter, saved, "momentum_buffer"),
            GradAvg = CopyOptionalBuffer(parameter, saved, "grad_avg"),
        };

    private sealed class State(Tensor squareAvg)
    {
        public long Step;
        public readonly Tensor SquareAvg = squareAvg;
        public Tensor? MomentumBuffer;
        public Tensor? GradAvg;
    }
}
