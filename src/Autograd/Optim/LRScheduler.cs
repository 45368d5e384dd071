namespace Autograd.Optim;

/// <summary>
/// Base class of learning-rate schedulers (PyTorch's <c>torch.optim.lr_scheduler._LRScheduler</c>): each
/// <see cref="Step()"/> advances <see cref="LastEpoch"/> and writes the new rate into every parameter group's
/// <see cref="ParamGroup.LearningRate"/>. Construction performs PyTorch's initial step (epoch 0). The recursive forms
/// (<see cref="GetLr"/>, from the groups' current rates) and the closed forms (<see cref="Step(int)"/>, from
/// <see cref="BaseLrs"/>) are PyTorch 1.13's, operation for operation, so the rates are the same doubles.
/// </summary>
public abstract class LRScheduler
{
    private double[] _lastLr = [];

    /// <summary>Binds the scheduler to <paramref name="optimizer"/>; a derived constructor ends with <see cref="Initialize"/>.</summary>
    protected LRScheduler(Optimizer optimizer, int lastEpoch = -1)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        LastEpoch = lastEpoch;
    }

    /// <summary>The optimizer whose groups' rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The index of the last epoch (step) taken; 0 after construction.</summary>
    public int LastEpoch { get; protected set; }

    /// <summary>The groups' <c>initial_lr</c> when the scheduler was created (PyTorch's <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLrs { get; private set; } = [];

    /// <summary>How many times <see cref="Step()"/> ran, the initial step included (PyTorch's <c>_step_count</c>).</summary>
    protected int StepCount { get; private set; }

    /// <summary>The rates set by the last step, one per group (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    /// <summary>Advances one epoch and sets every group's rate from the recursive form.</summary>
    public virtual void Step()
    {
        StepCount++;
        LastEpoch++;
        Apply(GetLr());
    }

    /// <summary>Jumps to <paramref name="epoch"/> (deprecated in PyTorch): the closed form where there is one.</summary>
    public virtual void Step(int epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        Apply(GetClosedFormLr() ?? GetLr());
    }

    /// <summary>The scheduler's mutable state (<c>last_epoch</c>, <c>_step_count</c>, <c>base_lrs</c>, <c>_last_lr</c>).</summary>
    public virtual Dictionary<string, object> StateDict() => new()
    {
        ["last_epoch"] = LastEpoch,
        ["_step_count"] = StepCount,
        ["base_lrs"] = BaseLrs.ToArray(),
        ["_last_lr"] = _lastLr.ToArray(),
    };

    /// <summary>Restores a state produced by <see cref="StateDict"/>.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        LastEpoch = (int)stateDict["last_epoch"];
        StepCount = (int)stateDict["_step_count"];
        BaseLrs = ((double[])stateDict["base_lrs"]).ToArray();
        _lastLr = ((double[])stateDict["_last_lr"]).ToArray();
    }

    /// <summary>The rates of the current epoch computed from the groups' current rates (PyTorch's <c>get_lr()</c>).</summary>
    protected abstract double[] GetLr();

    /// <summary>The rates of <see cref="LastEpoch"/> computed from <see cref="BaseLrs"/>, or null if there is no closed form.</summary>
    protected virtual double[]? GetClosedFormLr() => null;

    /// <summary>
    /// PyTorch's base <c>__init__</c>: sets each group's <c>initial_lr</c> to its rate if absent (a fresh schedule), or requires
    /// it when resuming (<c>lastEpoch ≠ −1</c>), records <see cref="BaseLrs"/>, then takes the initial step.
    /// </summary>
    protected void Initialize()
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            if (LastEpoch == -1)
            {
                groups[i].SetDefault("initial_lr", groups[i].LearningRate);
            }
            else if (!groups[i].Contains("initial_lr"))
            {
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
            }
        }

        BaseLrs = [.. groups.Select(g => g.InitialLearningRate)];
        InitialStep();
    }

    /// <summary>PyTorch's <c>_initial_step</c>: resets the step count and steps once.</summary>
    internal void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>Shifts <see cref="LastEpoch"/> (used by <see cref="SequentialLR"/>).</summary>
    internal void ShiftLastEpoch(int delta) => LastEpoch += delta;

    /// <summary>Writes <paramref name="lrs"/> into the groups and records them.</summary>
    private protected void Apply(double[] lrs)
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            groups[i].LearningRate = lrs[i];
        }

        SetLastLr();
    }

    /// <summary>Records the groups' current rates as the last ones.</summary>
    private protected void SetLastLr() => _lastLr = [.. Optimizer.ParamGroups.Select(g => g.LearningRate)];

    /// <summary>Records the given rates as the last ones.</summary>
    private protected void SetLastLr(IReadOnlyList<double> lrs) => _lastLr = [.. lrs];

    /// <summary>The groups' current rates.</summary>
    private protected double[] CurrentLrs() => [.. Optimizer.ParamGroups.Select(g => g.LearningRate)];

    /// <summary>The groups' current rates times <paramref name="factor"/>.</summary>
    private protected double[] CurrentLrsTimes(double factor) => [.. Optimizer.ParamGroups.Select(g => g.LearningRate * factor)];
}

/// <summary>PyTorch's <c>LambdaLR</c>: <c>lr = base_lr · λ(epoch)</c>, one λ for all groups or one per group.</summary>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double>[] _lambdas;

    /// <summary>Creates the scheduler with one multiplier function for every group.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(lrLambda ?? throw new ArgumentNullException(nameof(lrLambda)), optimizer?.ParamGroups.Count ?? 0).ToArray(), lastEpoch)
    {
    }

    /// <summary>Creates the scheduler with one multiplier function per group.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(lrLambdas);
        if (lrLambdas.Count != optimizer.ParamGroups.Count)
        {
            throw new ArgumentException($"Expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lrLambdas.Count}", nameof(lrLambdas));
        }

        _lambdas = [.. lrLambdas];
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => [.. BaseLrs.Select((baseLr, i) => baseLr * _lambdas[i](LastEpoch))];
}

/// <summary>PyTorch's <c>StepLR</c>: multiplies the rate by <c>gamma</c> every <c>stepSize</c> epochs; closed form <c>base_lr·γ^⌊epoch/stepSize⌋</c>.</summary>
public sealed class StepLR : LRScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Creates the scheduler.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        _stepSize = stepSize;
        _gamma = gamma;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() =>
        LastEpoch == 0 || LastEpoch % _stepSize != 0 ? CurrentLrs() : CurrentLrsTimes(_gamma);

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr() =>
        [.. BaseLrs.Select(b => b * Math.Pow(_gamma, Math.Floor((double)LastEpoch / _stepSize)))];
}

/// <summary>PyTorch's <c>MultiStepLR</c>: multiplies the rate by <c>gamma</c> at each milestone (by γ^k for a milestone listed k times).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] _milestones;
    private readonly double _gamma;

    /// <summary>Creates the scheduler.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = [.. milestones.Order()];
        _gamma = gamma;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        int count = _milestones.Count(m => m == LastEpoch);
        return count == 0 ? CurrentLrs() : CurrentLrsTimes(Math.Pow(_gamma, count));
    }

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr()
    {
        int passed = _milestones.Count(m => m <= LastEpoch);   // bisect_right over the sorted milestones
        return [.. BaseLrs.Select(b => b * Math.Pow(_gamma, passed))];
    }
}

/// <summary>PyTorch's <c>ConstantLR</c>: the rate times <c>factor</c> until epoch <c>totalIters</c>, then the base rate.</summary>
public sealed class ConstantLR : LRScheduler
{
    private readonly double _factor;
    private readonly int _totalIters;

    /// <summary>Creates the scheduler.</summary>
    public ConstantLR(Optimizer optimizer, double factor = 1.0 / 3, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (factor > 1.0 || factor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Constant multiplicative factor expected to be between 0 and 1.");
        }

        _factor = factor;
        _totalIters = totalIters;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() =>
        LastEpoch == 0 ? CurrentLrsTimes(_factor)
        : LastEpoch != _totalIters ? CurrentLrs()
        : CurrentLrsTimes(1.0 / _factor);

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr() =>
        [.. BaseLrs.Select(b => b * (_factor + ((LastEpoch >= _totalIters ? 1 : 0) * (1 - _factor))))];
}

/// <summary>
/// PyTorch's <c>LinearLR</c>: the multiplier goes linearly from <c>startFactor</c> to <c>endFactor</c> over
/// <c>totalIters</c> epochs (a warm-up), recursively
/// <c>lr·(1 + (e−s) / (T·s + (epoch−1)(e−s)))</c>.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private readonly double _startFactor, _endFactor;
    private readonly int _totalIters;

    /// <summary>Creates the scheduler.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (startFactor > 1.0 || startFactor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "Starting multiplicative factor expected to be between 0 and 1.");
        }

        if (endFactor > 1.0 || endFactor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "Ending multiplicative factor expected to be between 0 and 1.");
        }

        _startFactor = startFactor;
        _endFactor = endFactor;
        _totalIters = totalIters;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() =>
        LastEpoch == 0 ? CurrentLrsTimes(_startFactor)
        : LastEpoch > _totalIters ? CurrentLrs()
        : CurrentLrsTimes(1.0 + ((_endFactor - _startFactor) / ((_totalIters * _startFactor) + ((LastEpoch - 1) * (_endFactor - _startFactor)))));

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr() =>
        [.. BaseLrs.Select(b => b * (_startFactor + ((_endFactor - _startFactor) * Math.Min(_totalIters, LastEpoch) / _totalIters)))];
}

/// <summary>PyTorch's <c>ExponentialLR</c>: multiplies the rate by <c>gamma</c> every epoch; closed form <c>base_lr·γ^epoch</c>.</summary>
public sealed class ExponentialLR : LRScheduler
{
    private readonly double _gamma;

    /// <summary>Creates the scheduler.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        _gamma = gamma;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => LastEpoch == 0 ? CurrentLrs() : CurrentLrsTimes(_gamma);

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr() => [.. BaseLrs.Select(b => b * Math.Pow(_gamma, LastEpoch))];
}
