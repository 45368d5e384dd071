namespace Autograd.Optim;

/// <summary>
/// PyTorch's <c>OneCycleLR</c>: the 1cycle policy over <c>totalSteps</c> steps. The rate anneals from
/// <c>maxLr/divFactor</c> up to <c>maxLr</c> over the first <c>pctStart</c> of the steps, then down to
/// <c>initial_lr/finalDivFactor</c>; with <c>threePhase</c> it first comes back to <c>initial_lr</c> symmetrically and only
/// then falls to the minimum. Annealing is cosine, <c>end + (start − end)/2·(1 + cos(π·pct))</c>, or linear,
/// <c>(end − start)·pct + start</c>. With <c>cycleMomentum</c> the momentum (or Adam's β₁) moves inversely between
/// <c>maxMomentum</c> and <c>baseMomentum</c>.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly int _totalSteps;
    private readonly (double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum)[] _phases;
    private readonly bool _cos;
    private readonly bool _cycleMomentum;
    private readonly bool _useBeta1;

    /// <summary>Creates the scheduler; give <paramref name="totalSteps"/>, or <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/>.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, int lastEpoch = -1)
        : this(optimizer, Repeat(optimizer, maxLr), totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum,
            Repeat(optimizer, baseMomentum), Repeat(optimizer, maxMomentum), divFactor, finalDivFactor, threePhase, lastEpoch)
    {
    }

    /// <summary>Creates the scheduler with per-group maximum rates and momenta.</summary>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLr, int? totalSteps, int? epochs, int? stepsPerEpoch,
        double pctStart, string annealStrategy, bool cycleMomentum, IReadOnlyList<double> baseMomentum, IReadOnlyList<double> maxMomentum,
        double divFactor, double finalDivFactor, bool threePhase, int lastEpoch)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(maxLr);
        ArgumentNullException.ThrowIfNull(baseMomentum);
        ArgumentNullException.ThrowIfNull(maxMomentum);
        if (totalSteps is null && epochs is null && stepsPerEpoch is null)
        {
            throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        }

        if (totalSteps is { } total)
        {
            if (total <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalSteps), total, $"Expected positive integer total_steps, but got {total}");
            }

            _totalSteps = total;
        }
        else
        {
            if (epochs is not > 0)
            {
                throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"Expected positive integer epochs, but got {epochs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None"}");
            }

            if (stepsPerEpoch is not > 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, $"Expected positive integer steps_per_epoch, but got {stepsPerEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None"}");
            }

            _totalSteps = epochs.Value * stepsPerEpoch.Value;
        }

        _phases = threePhase
            ?
            [
                ((pctStart * _totalSteps) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                ((2 * pctStart * _totalSteps) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                (_totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                ((pctStart * _totalSteps) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (_totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];
        if (pctStart < 0 || pctStart > 1 || double.IsNaN(pctStart))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"Expected float between 0 and 1 pct_start, but got {PythonRepr.Float(pctStart)}");
        }

        if (annealStrategy is not ("cos" or "linear"))
        {
            throw new ArgumentException($"anneal_strategy must by one of 'cos' or 'linear', instead got {annealStrategy}", nameof(annealStrategy));
        }

        _cos = annealStrategy == "cos";
        IReadOnlyList<ParamGroup> groups = optimizer.ParamGroups;
        CheckCount("max_lr", maxLr.Count, groups.Count);
        if (lastEpoch == -1)
        {
            for (int i = 0; i < groups.Count; i++)
            {
                groups[i].InitialLearningRate = maxLr[i] / divFactor;
                groups[i]["max_lr"] = maxLr[i];
                groups[i]["min_lr"] = groups[i].InitialLearningRate / finalDivFactor;
            }
        }

        _cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            if (!optimizer.Defaults.ContainsKey("momentum") && !optimizer.Defaults.ContainsKey("betas"))
            {
                throw new ArgumentException("optimizer must support momentum with `cycle_momentum` option enabled", nameof(optimizer));
            }

            _useBeta1 = optimizer.Defaults.ContainsKey("betas");
            CheckCount("max_momentum", maxMomentum.Count, groups.Count);
            CheckCount("base_momentum", baseMomentum.Count, groups.Count);
            if (lastEpoch == -1)
            {
                for (int i = 0; i < groups.Count; i++)
                {
                    SetMomentum(groups[i], maxMomentum[i]);
                    groups[i]["max_momentum"] = maxMomentum[i];
                    groups[i]["base_momentum"] = baseMomentum[i];
                }
            }
        }

        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        int stepNum = LastEpoch;
        if (stepNum > _totalSteps)
        {
            throw new InvalidOperationException($"Tried to step {stepNum + 1} times. The specified number of total steps is {_totalSteps}");
        }

        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            ParamGroup group = groups[g];
            double startStep = 0, computedLr = 0, computedMomentum = 0;
            for (int i = 0; i < _phases.Length; i++)
            {
                double endStep = _phases[i].EndStep;
                if (stepNum <= endStep || i == _phases.Length - 1)
                {
                    double pct = (stepNum - startStep) / (endStep - startStep);
                    computedLr = Anneal(group.Double(_phases[i].StartLr), group.Double(_phases[i].EndLr), pct);
                    if (_cycleMomentum)
                    {
                        computedMomentum = Anneal(group.Double(_phases[i].StartMomentum), group.Double(_phases[i].EndMomentum), pct);
                    }

                    break;
                }

                startStep = endStep;
            }

            lrs[g] = computedLr;
            if (_cycleMomentum)
            {
                SetMomentum(group, computedMomentum);
            }
        }

        return lrs;
    }

    private double Anneal(double start, double end, double pct) =>
        _cos ? end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)) : ((end - start) * pct) + start;

    private void SetMomentum(ParamGroup group, double momentum)
    {
        if (_useBeta1)
        {
            group.Betas = (momentum, group.Betas.Beta2);
        }
        else
        {
            group.Momentum = momentum;
        }
    }

    private static double[] Repeat(Optimizer optimizer, double value) =>
        [.. Enumerable.Repeat(value, (optimizer ?? throw new ArgumentNullException(nameof(optimizer))).ParamGroups.Count)];

    private static void CheckCount(string name, int got, int expected)
    {
        if (got != expected)
        {
            throw new ArgumentException($"expected {expected} values for {name}, got {got}");
        }
    }
}
