namespace Autograd.Optim;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: when the metric passed to <see cref="Step"/> has not improved for more than
/// <c>patience</c> epochs, every group's rate becomes <c>max(lr·factor, minLr)</c> (unless that changes it by at most
/// <c>eps</c>), followed by <c>cooldown</c> epochs that count no bad epochs. "Improved" is, for mode <c>min</c>:
/// <c>a &lt; best·(1 − threshold)</c> (<c>rel</c>) or <c>a &lt; best − threshold</c> (<c>abs</c>); for <c>max</c> the mirror.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private readonly double _factor;
    private readonly double[] _minLrs;
    private readonly int _patience;
    private readonly int _cooldown;
    private readonly string _mode;
    private readonly double _threshold;
    private readonly string _thresholdMode;
    private readonly double _eps;
    private double[] _lastLr;

    /// <summary>Creates the scheduler with one minimum rate for every group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown,
            Enumerable.Repeat(minLr, optimizer?.ParamGroups.Count ?? 0).ToArray(), eps)
    {
    }

    /// <summary>Creates the scheduler with a minimum rate per group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode, double factor, int patience, double threshold, string thresholdMode,
        int cooldown, IReadOnlyList<double> minLrs, double eps)
    {
        if (factor >= 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor should be < 1.0.");
        }

        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(minLrs);
        if (minLrs.Count != optimizer.ParamGroups.Count)
        {
            throw new ArgumentException($"expected {optimizer.ParamGroups.Count} min_lrs, got {minLrs.Count}", nameof(minLrs));
        }

        if (mode is not ("min" or "max"))
        {
            throw new ArgumentException("mode " + mode + " is unknown!", nameof(mode));
        }

        if (thresholdMode is not ("rel" or "abs"))
        {
            throw new ArgumentException("threshold mode " + thresholdMode + " is unknown!", nameof(thresholdMode));
        }

        Optimizer = optimizer;
        _factor = factor;
        _minLrs = [.. minLrs];
        _patience = patience;
        _cooldown = cooldown;
        _mode = mode;
        _threshold = threshold;
        _thresholdMode = thresholdMode;
        _eps = eps;
        Best = ModeWorse;
        _lastLr = [.. optimizer.ParamGroups.Select(g => g.LearningRate)];
    }

    /// <summary>The optimizer whose rates this scheduler reduces.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The number of epochs stepped.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The best metric seen (±∞ before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    private double ModeWorse => _mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>The groups' rates after the last step.</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    /// <summary>Records <paramref name="metrics"/> for the next epoch and reduces the rates on a plateau.</summary>
    public void Step(double metrics)
    {
        double current = metrics;
        int epoch = LastEpoch + 1;
        LastEpoch = epoch;
        if (IsBetter(current, Best))
        {
            Best = current;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }

        if (NumBadEpochs > _patience)
        {
            IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
            for (int i = 0; i < groups.Count; i++)
            {
                double oldLr = groups[i].LearningRate;
                double newLr = Math.Max(oldLr * _factor, _minLrs[i]);
                if (oldLr - newLr > _eps)
                {
                    groups[i].LearningRate = newLr;
                }
            }

            CooldownCounter = _cooldown;
            NumBadEpochs = 0;
        }

        _lastLr = [.. Optimizer.ParamGroups.Select(g => g.LearningRate)];
    }

    /// <summary>The mutable state: <c>best</c>, <c>num_bad_epochs</c>, <c>cooldown_counter</c>, <c>last_epoch</c>, <c>_last_lr</c>.</summary>
    public Dictionary<string, object> StateDict() => new()
    {
        ["best"] = Best,
        ["num_bad_epochs"] = NumBadEpochs,
        ["cooldown_counter"] = CooldownCounter,
        ["last_epoch"] = LastEpoch,
        ["_last_lr"] = _lastLr.ToArray(),
    };

    /// <summary>Restores a state produced by <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        Best = (double)stateDict["best"];
        NumBadEpochs = (int)stateDict["num_bad_epochs"];
        CooldownCounter = (int)stateDict["cooldown_counter"];
        LastEpoch = (int)stateDict["last_epoch"];
        _lastLr = ((double[])stateDict["_last_lr"]).ToArray();
    }

    private bool IsBetter(double a, double best) => (_mode, _thresholdMode) switch
    {
        ("min", "rel") => a < best * (1.0 - _threshold),
        ("min", _) => a < best - _threshold,
        (_, "rel") => a > best * (_threshold + 1.0),
        _ => a > best + _threshold,
    };
}
