using System.Text.Json;
using Autograd.Optim;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Optim;

/// <summary>
/// Every scheduler's learning rates (and OneCycleLR's momenta) over 30 steps against PyTorch 1.13, for an optimizer
/// with two groups (lr 0.1 and 0.05). The recursive and closed forms are PyTorch's operation for operation and
/// <c>Math.Cos</c>/<c>Math.Pow</c> call the same libm as CPython, so the doubles are compared exactly.
/// </summary>
public sealed class SchedulerReferenceTests
{
    private static readonly Dictionary<string, JsonElement> Cases = OptimFixture.Section("schedulers");

    private static readonly double[] PlateauMetrics =
    [
        1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
        0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
    ];

    private static readonly Dictionary<string, Func<Optimizer, LRScheduler>> Schedulers = new()
    {
        ["step"] = o => new StepLR(o, stepSize: 4, gamma: 0.5),
        ["multistep"] = o => new MultiStepLR(o, [3, 8, 8, 20], gamma: 0.3),
        ["constant"] = o => new ConstantLR(o, factor: 0.25, totalIters: 6),
        ["exponential"] = o => new ExponentialLR(o, gamma: 0.9),
        ["cosine"] = o => new CosineAnnealingLR(o, tMax: 10),
        ["cosine_eta_min"] = o => new CosineAnnealingLR(o, tMax: 7, etaMin: 0.001),
        ["linear"] = o => new LinearLR(o, startFactor: 0.1, totalIters: 8),
        ["linear_end"] = o => new LinearLR(o, startFactor: 1.0, endFactor: 0.2, totalIters: 12),
        ["lambda"] = o => new LambdaLR(o, e => Math.Pow(0.95, e) + (0.01 * e)),
        ["lambda_per_group"] = o => new LambdaLR(o, [e => 1.0 / (1 + e), e => 0.5 * (e % 3)]),
        ["onecycle_cos"] = o => new OneCycleLR(o, maxLr: 0.2, totalSteps: 30),
        ["onecycle_linear"] = o => new OneCycleLR(o, [0.2, 0.4], 30, null, null, 0.4, "linear", true, [0.85, 0.85], [0.95, 0.95], 25, 1e4, false, -1),
        ["onecycle_three_phase"] = o => new OneCycleLR(o, maxLr: 0.3, epochs: 3, stepsPerEpoch: 10, threePhase: true, divFactor: 10, finalDivFactor: 100),
        ["onecycle_no_momentum"] = o => new OneCycleLR(o, maxLr: 0.2, totalSteps: 40, cycleMomentum: false),
        ["sequential_warmup_cosine"] = o => new SequentialLR(o, [new LinearLR(o, startFactor: 0.1, totalIters: 5), new CosineAnnealingLR(o, tMax: 25)], [5]),
        ["sequential_three"] = o => new SequentialLR(o, [new ConstantLR(o, factor: 0.5, totalIters: 4), new ExponentialLR(o, gamma: 0.9), new StepLR(o, stepSize: 3, gamma: 0.5)], [4, 15]),
        ["chained"] = o => new ChainedScheduler([new ConstantLR(o, factor: 0.5, totalIters: 4), new ExponentialLR(o, gamma: 0.9)]),
        ["onecycle_adam"] = o => new OneCycleLR(o, maxLr: 0.01, totalSteps: 30),
        ["closed_step"] = o => new StepLR(o, stepSize: 3, gamma: 0.5),
        ["closed_exponential"] = o => new ExponentialLR(o, gamma: 0.8),
        ["closed_cosine"] = o => new CosineAnnealingLR(o, tMax: 10, etaMin: 0.01),
        ["closed_multistep"] = o => new MultiStepLR(o, [2, 5, 5], gamma: 0.5),
        ["closed_linear"] = o => new LinearLR(o, startFactor: 0.25, totalIters: 4),
    };

    private static readonly Dictionary<string, int[]> ClosedEpochs = new()
    {
        ["closed_step"] = [2, 3, 7, 9, 1, 12],
        ["closed_exponential"] = [3, 5, 0, 10],
        ["closed_cosine"] = [3, 10, 15, 4],
        ["closed_multistep"] = [1, 2, 5, 9],
        ["closed_linear"] = [1, 3, 4, 8],
    };

    private static readonly Dictionary<string, Func<Optimizer, ReduceLROnPlateau>> Plateaus = new()
    {
        ["plateau_min_rel"] = o => new ReduceLROnPlateau(o, patience: 2),
        ["plateau_min_abs_cooldown"] = o => new ReduceLROnPlateau(o, factor: 0.5, patience: 1, threshold: 0.05, thresholdMode: "abs", cooldown: 2, minLr: 0.003),
        ["plateau_max_rel"] = o => new ReduceLROnPlateau(o, "max", 0.5, 0, 1e-4, "rel", 0, [0.01, 0.02], 1e-8),
        ["plateau_max_abs"] = o => new ReduceLROnPlateau(o, mode: "max", factor: 0.2, patience: 3, threshold: 0.01, thresholdMode: "abs", eps: 1e-3),
    };

    public static TheoryData<string> Names => FixtureNames.Of(Cases);

    [Fact]
    public void EveryFixtureCaseHasAScheduler()
    {
        Cases.Keys.Should().BeEquivalentTo(Schedulers.Keys.Concat(Plateaus.Keys));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Rates_MatchPyTorch(string name)
    {
        JsonElement c = Cases[name];
        Optimizer optimizer = MakeOptimizer(name == "onecycle_adam");
        JsonElement[] lrs = [.. c.GetProperty("lrs").EnumerateArray()];
        JsonElement[] momenta = [.. c.GetProperty("momenta").EnumerateArray()];
        int offset = 0;
        Action<int> step;
        if (Plateaus.TryGetValue(name, out Func<Optimizer, ReduceLROnPlateau>? makePlateau))
        {
            ReduceLROnPlateau plateau = makePlateau(optimizer);
            step = i => plateau.Step(PlateauMetrics[i]);
        }
        else
        {
            LRScheduler scheduler = Schedulers[name](optimizer);
            Expect(scheduler.GetLastLr(), lrs[0], $"{name} initial");
            offset = 1;
            step = ClosedEpochs.TryGetValue(name, out int[]? epochs) ? i => scheduler.Step(epochs[i]) : i => scheduler.Step();
        }

        for (int i = 0; i < momenta.Length; i++)
        {
            optimizer.Step();
            step(i);
            Expect([.. optimizer.ParamGroups.Select(g => g.LearningRate)], lrs[i + offset], $"{name} lr after step {i + 1}");
            Expect([.. optimizer.ParamGroups.Select(g => g.Contains("betas") ? g.Betas.Beta1 : g.Momentum)], momenta[i], $"{name} momentum after step {i + 1}");
        }
    }

    [Fact]
    public void StateDict_RoundTripContinuesTheSchedule()
    {
        // Run a warm-up + cosine schedule 12 steps, save it, load it into a fresh scheduler (over an optimizer carrying
        // the same group rates) and step both: the rates must agree exactly.
        Optimizer a = MakeOptimizer(adam: false), b = MakeOptimizer(adam: false);
        LRScheduler sa = Schedulers["sequential_warmup_cosine"](a);
        for (int i = 0; i < 12; i++)
        {
            sa.Step();
        }

        LRScheduler sb = Schedulers["sequential_warmup_cosine"](b);
        b.LoadStateDict(a.StateDict());
        sb.LoadStateDict(sa.StateDict());
        sb.LastEpoch.Should().Be(12);
        for (int i = 0; i < 10; i++)
        {
            sa.Step();
            sb.Step();
            sb.GetLastLr().Should().Equal(sa.GetLastLr());
        }
    }

    [Fact]
    public void OneCycle_StepsBeyondTotal_Throw()
    {
        JsonElement errors = OptimFixture.Root.GetProperty("errors");
        var scheduler = new OneCycleLR(new SGD([Tensor.Zeros([2], requiresGrad: true)], lr: 0.1, momentum: 0.9), maxLr: 0.1, totalSteps: 3);
        scheduler.Step();
        scheduler.Step();
        scheduler.Step();
        FluentActions.Invoking(scheduler.Step).Should().Throw<InvalidOperationException>().WithMessage(errors.GetProperty("onecycle_overstep").GetString());
    }

    [Fact]
    public void HandDerived_CosineHalfPeriod()
    {
        // CosineAnnealingLR with T_max = 4 from lr 1: η_t = (1 + cos(πt/4))/2, so η_2 = 1/2 and η_4 = 0 (the minimum).
        var optimizer = new SGD([Tensor.Zeros([1], requiresGrad: true)], lr: 1.0);
        var scheduler = new CosineAnnealingLR(optimizer, tMax: 4);
        scheduler.Step();
        scheduler.Step();
        scheduler.GetLastLr()[0].Should().BeApproximately(0.5, 1e-15);
        scheduler.Step();
        scheduler.Step();
        scheduler.GetLastLr()[0].Should().BeApproximately(0, 1e-15);
    }

    private static Optimizer MakeOptimizer(bool adam)
    {
        Tensor a = Tensor.Zeros([1], requiresGrad: true), b = Tensor.Zeros([1], requiresGrad: true);
        return adam
            ? new Adam([new ParamGroup([a]), new ParamGroup([b]) { LearningRate = 0.05 }], lr: 0.1)
            : new SGD([new ParamGroup([a]), new ParamGroup([b]) { LearningRate = 0.05 }], lr: 0.1, momentum: 0.9);
    }

    private static void Expect(IReadOnlyList<double> got, JsonElement want, string what)
    {
        double[] expected = [.. want.EnumerateArray().Select(OptimFixture.Hex)];
        got.Should().HaveCount(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            got[i].Should().Be(expected[i], "{0}, group {1}", what, i);
        }
    }
}
