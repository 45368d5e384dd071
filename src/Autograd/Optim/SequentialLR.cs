namespace Autograd.Optim;

/// <summary>
/// PyTorch's <c>SequentialLR</c>: runs <c>schedulers[0]</c> until the first milestone, then <c>schedulers[1]</c> (restarted
/// at epoch 0 through its closed form) until the next, and so on — e.g. a <see cref="LinearLR"/> warm-up followed by
/// <see cref="CosineAnnealingLR"/>.
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>Creates the sequence; <paramref name="milestones"/> has one entry fewer than <paramref name="schedulers"/>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones, int lastEpoch = -1)
        : base(optimizer, lastEpoch + 1)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        for (int i = 0; i < schedulers.Count; i++)
        {
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
            {
                throw new ArgumentException($"Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index {i} to be different than the optimizer passed in.", nameof(schedulers));
            }
        }

        if (milestones.Count != schedulers.Count - 1)
        {
            throw new ArgumentException($"Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}", nameof(milestones));
        }

        _schedulers = [.. schedulers];
        _milestones = [.. milestones];
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            group.LearningRate = group.InitialLearningRate;
        }

        foreach (LRScheduler scheduler in _schedulers)
        {
            scheduler.ShiftLastEpoch(-1);
        }

        _schedulers[0].InitialStep();
        SetLastLr(_schedulers[0].GetLastLr());
    }

    /// <summary>Advances one epoch on the scheduler whose span contains it.</summary>
    public override void Step()
    {
        LastEpoch++;
        int idx = _milestones.Count(m => m <= LastEpoch);   // bisect_right
        LRScheduler scheduler = _schedulers[idx];
        if (idx > 0 && _milestones[idx - 1] == LastEpoch)
        {
            scheduler.Step(0);
        }
        else
        {
            scheduler.Step();
        }

        SetLastLr(scheduler.GetLastLr());
    }

    /// <summary>Not supported by PyTorch's SequentialLR either.</summary>
    public override void Step(int epoch) => throw new NotSupportedException("SequentialLR.step() takes no epoch");

    /// <summary>This scheduler's state plus every inner scheduler's under <c>_schedulers</c>.</summary>
    public override Dictionary<string, object> StateDict()
    {
        Dictionary<string, object> state = base.StateDict();
        state["_schedulers"] = _schedulers.Select(s => s.StateDict()).ToArray();
        return state;
    }

    /// <inheritdoc/>
    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        var inner = (Dictionary<string, object>[])stateDict["_schedulers"];
        for (int i = 0; i < _schedulers.Length; i++)
        {
            _schedulers[i].LoadStateDict(inner[i]);
        }
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => throw new NotSupportedException("SequentialLR delegates to its schedulers");
}

/// <summary>
/// PyTorch's <c>ChainedScheduler</c>: each <see cref="Step()"/> steps every scheduler in turn, so their multiplicative
/// effects compose (e.g. a <see cref="ConstantLR"/> warm-up factor on top of an <see cref="ExponentialLR"/> decay).
/// </summary>
public sealed class ChainedScheduler : LRScheduler
{
    private readonly LRScheduler[] _schedulers;

    /// <summary>Chains <paramref name="schedulers"/>, which must share one optimizer.</summary>
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers)
        : base(First(schedulers).Optimizer)
    {
        for (int i = 1; i < schedulers.Count; i++)
        {
            if (!ReferenceEquals(schedulers[i].Optimizer, schedulers[0].Optimizer))
            {
                throw new ArgumentException($"ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and {i} to be different", nameof(schedulers));
            }
        }

        _schedulers = [.. schedulers];
        SetLastLr();
    }

    /// <summary>Steps every scheduler in order.</summary>
    public override void Step()
    {
        foreach (LRScheduler scheduler in _schedulers)
        {
            scheduler.Step();
        }

        SetLastLr();
    }

    /// <summary>Not supported by PyTorch's ChainedScheduler either.</summary>
    public override void Step(int epoch) => throw new NotSupportedException("ChainedScheduler.step() takes no epoch");

    /// <summary>Every inner scheduler's state under <c>_schedulers</c>.</summary>
    public override Dictionary<string, object> StateDict()
    {
        Dictionary<string, object> state = base.StateDict();
        state["_schedulers"] = _schedulers.Select(s => s.StateDict()).ToArray();
        return state;
    }

    /// <inheritdoc/>
    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        var inner = (Dictionary<string, object>[])stateDict["_schedulers"];
        for (int i = 0; i < _schedulers.Length; i++)
        {
            _schedulers[i].LoadStateDict(inner[i]);
        }
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => throw new NotSupportedException("ChainedScheduler delegates to its schedulers");

    private static LRScheduler First(IReadOnlyList<LRScheduler> schedulers)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        return schedulers.Count > 0 ? schedulers[0] : throw new ArgumentException("ChainedScheduler needs at least one scheduler", nameof(schedulers));
    }
}
