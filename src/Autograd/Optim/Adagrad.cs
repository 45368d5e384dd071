using Autograd.Kernels;

namespace Autograd.Optim;

/// <summary>
/// Adagrad (PyTorch's <c>torch.optim.Adagrad</c>): with <c>g = ±∇p + λp</c> and <c>clr = lr / (1 + (t−1)·lrDecay)</c>,
/// <c>Σ ← Σ + g²</c>, <c>p ← p − clr·g / (√Σ + ε)</c>; <c>Σ</c> starts at <c>initialAccumulatorValue</c>. One fused pass per
/// parameter.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this(Single(parameters), lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups whose unset options take these defaults.</summary>
    public Adagrad(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(paramGroups, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize))
    {
    }

    private static Dictionary<string, object> MakeDefaults(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, bool maximize)
    {
        Check(lr >= 0, "learning rate", lr, nameof(lr));
        Check(lrDecay >= 0, "lr_decay value", lrDecay, nameof(lrDecay));
        Check(weightDecay >= 0, "weight_decay value", weightDecay, nameof(weightDecay));
        Check(initialAccumulatorValue >= 0, "initial_accumulator_value value", initialAccumulatorValue, nameof(initialAccumulatorValue));
        Check(eps >= 0, "epsilon value", eps, nameof(eps));
        return new()
        {
            ["lr"] = lr,
            ["lr_decay"] = lrDecay,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue,
            ["maximize"] = maximize,
        };
    }

    private protected override bool UpdateNeedsNoGrad => false;

    /// <inheritdoc/>
    protected override void Update(ParamGroup group)
    {
        double lr = group.LearningRate, lrDecay = group.LrDecay, eps = group.Eps, weightDecay = group.WeightDecay;
        bool maximize = group.Maximize;
        foreach (Tensor p in group.Items)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            State? state = GetState<State>(p);
            if (state is null)
            {
                state = new State(Tensor.Full(p.Shape.AsSpan(), group.InitialAccumulatorValue, p.DType));
                SetState(p, state);
            }

            state.Step = (float)(state.Step + 1);
            double clr = lr / (1 + ((state.Step - 1) * lrDecay));
            OptimizerUpdate.Adagrad(p, grad, state.Sum, clr, eps, weightDecay, maximize);
        }
    }

    private protected override Dictionary<string, object> SaveState(object state)
    {
        var s = (State)state;
        return new() { ["step"] = Tensor.Scalar(s.Step, DType.Float32), ["sum"] = s.Sum };
    }

    private protected override object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved) =>
        new State(CopyBuffer(parameter, saved, "sum")) { Step = ReadStep(saved) };

    private sealed class State(Tensor sum)
    {
        public double Step;
        public readonly Tensor Sum = sum;
    }
}
