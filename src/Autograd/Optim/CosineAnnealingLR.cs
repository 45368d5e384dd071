namespace Autograd.Optim;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c>: <c>η = η_min + (base − η_min)(1 + cos(π·epoch/T_max))/2</c>, computed recursively
/// as PyTorch does, <c>η ← (1 + cos(π·t/T))/(1 + cos(π(t−1)/T))·(η − η_min) + η_min</c>, with its restart branch at
/// <c>(t − 1 − T) mod 2T = 0</c>.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>Creates the scheduler over a half period of <paramref name="tMax"/> epochs.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        _tMax = tMax;
        _etaMin = etaMin;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        if (LastEpoch == 0)
        {
            return CurrentLrs();
        }

        if (StepCount == 1 && LastEpoch > 0)
        {
            return [.. BaseLrs.Select(b => _etaMin + ((b - _etaMin) * (1 + Math.Cos(LastEpoch * Math.PI / _tMax)) / 2))];
        }

        if ((LastEpoch - 1 - _tMax) % (2 * _tMax) == 0)
        {
            return [.. BaseLrs.Select((b, i) => groups[i].LearningRate + ((b - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2))];
        }

        return [.. groups.Select(g =>
            ((1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / (1 + Math.Cos(Math.PI * (LastEpoch - 1) / _tMax)) * (g.LearningRate - _etaMin)) + _etaMin)];
    }

    /// <inheritdoc/>
    protected override double[]? GetClosedFormLr() =>
        [.. BaseLrs.Select(b => _etaMin + ((b - _etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / 2))];
}
