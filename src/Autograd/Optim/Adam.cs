using Autograd.Kernels;

namespace Autograd.Optim;

/// <summary>
/// Adam (PyTorch's <c>torch.optim.Adam</c>): with <c>g = ±∇p + λp</c>, <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>
/// (<c>v̂ = max(v̂, v)</c> with amsgrad), <c>p ← p − lr/(1−β₁ᵗ) · m / (√v̂ / √(1−β₂ᵗ) + ε)</c>; one fused pass per parameter.
/// </summary>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups whose unset options take these defaults.</summary>
    public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(paramGroups, lr, betas, eps, weightDecay, amsgrad, maximize, decoupled: false)
    {
    }

    private protected Adam(IEnumerable<ParamGroup> paramGroups, double lr, (double Beta1, double Beta2)? betas, double eps,
        double weightDecay, bool amsgrad, bool maximize, bool decoupled)
        : base(paramGroups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) => _decoupled = decoupled;

    private static Dictionary<string, object> MakeDefaults(double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, bool amsgrad, bool maximize)
    {
        Check(lr >= 0, "learning rate", lr, nameof(lr));
        Check(eps >= 0, "epsilon value", eps, nameof(eps));
        Check(betas.Beta1 is >= 0 and < 1, "beta parameter at index 0", betas.Beta1, nameof(betas));
        Check(betas.Beta2 is >= 0 and < 1, "beta parameter at index 1", betas.Beta2, nameof(betas));
        Check(weightDecay >= 0, "weight_decay value", weightDecay, nameof(weightDecay));
        return new()
        {
            ["lr"] = lr,
            ["betas"] = betas,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["amsgrad"] = amsgrad,
            ["maximize"] = maximize,
        };
    }

    private protected override bool UpdateNeedsNoGrad => false;

    /// <inheritdoc/>
    protected override void Update(ParamGroup group)
    {
        double lr = group.LearningRate, eps = group.Eps, weightDecay = group.WeightDecay;
        (double beta1, double beta2) = group.Betas;
        bool amsgrad = group.Amsgrad, maximize = group.Maximize;
        foreach (Tensor p in group.Items)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            State? state = GetState<State>(p);
            if (state is null)
            {
                state = new State(Tensor.ZerosLike(p, p.DType), Tensor.ZerosLike(p, p.DType));
                SetState(p, state);
            }

            if (amsgrad)
            {
                state.MaxExpAvgSq ??= Tensor.ZerosLike(p, p.DType);
            }

            // PyTorch keeps the step in a float32 tensor and reads it back as a Python float.
            state.Step = (float)(state.Step + 1);
            double bias1 = 1 - Math.Pow(beta1, state.Step), bias2 = 1 - Math.Pow(beta2, state.Step);
            double stepSize = lr / bias1, bias2Sqrt = Math.Sqrt(bias2);
            OptimizerUpdate.Adam(p, grad, state.ExpAvg, state.ExpAvgSq, amsgrad ? state.MaxExpAvgSq : null, beta1, beta2, eps,
                _decoupled ? 0 : weightDecay, _decoupled ? 1 - (lr * weightDecay) : 1, stepSize, bias2Sqrt, maximize);
        }
    }

    private protected override Dictionary<string, object> SaveState(object state)
    {
        var s = (State)state;
        var entries = new Dictionary<string, object>
        {
            ["step"] = Tensor.Scalar(s.Step, DType.Float32),
            ["exp_avg"] = s.ExpAvg,
            ["exp_avg_sq"] = s.ExpAvgSq,
        };
        if (s.MaxExpAvgSq is { } max)
        {
            entries["max_exp_avg_sq"] = max;
        }

        return entries;
    }

    private protected override object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved) =>
        new State(CopyBuffer(parameter, saved, "exp_avg"), CopyBuffer(parameter, saved, "exp_avg_sq"))
        {
            Step = ReadStep(saved),
            MaxExpAvgSq = CopyOptionalBuffer(parameter, saved, "max_exp_avg_sq"),
        };

    private sealed class State(Tensor expAvg, Tensor expAvgSq)
    {
        public double Step;
        public readonly Tensor ExpAvg = expAvg;
        public readonly Tensor ExpAvgSq = expAvgSq;
        public Tensor? MaxExpAvgSq;
    }
}

/// <summary>
/// AdamW (PyTorch's <c>torch.optim.AdamW</c>): Adam with decoupled weight decay, <c>p ← p·(1 − lr·λ)</c> before the Adam
/// update of the raw gradient; PyTorch's default <c>weightDecay</c> is 0.01.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups whose unset options take these defaults.</summary>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(paramGroups, lr, betas, eps, weightDecay, amsgrad, maximize, decoupled: true)
    {
    }
}
