using System.Text.Json;
using Autograd.Optim;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Optim;

/// <summary>LBFGS on Rosenbrock against PyTorch, PyTorch's validation messages, allocation, versions and options.</summary>
public sealed class OptimizerBehaviourTests
{
    private static readonly Dictionary<string, JsonElement> Lbfgs = OptimFixture.Section("lbfgs");
    private static readonly Dictionary<string, string> Errors =
        OptimFixture.Section("errors").ToDictionary(p => p.Key, p => p.Value.GetString()!);

    private static readonly Tensor[] P = [Tensor.Zeros([2], requiresGrad: true)];

    private static readonly Dictionary<string, Action> ErrorCases = new()
    {
        ["sgd_lr"] = () => _ = new SGD(P, lr: -1.0),
        ["sgd_momentum"] = () => _ = new SGD(P, lr: 0.1, momentum: -0.5),
        ["sgd_weight_decay"] = () => _ = new SGD(P, lr: 0.1, weightDecay: -0.01),
        ["sgd_nesterov_no_momentum"] = () => _ = new SGD(P, lr: 0.1, nesterov: true),
        ["sgd_nesterov_dampening"] = () => _ = new SGD(P, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
        ["adam_lr"] = () => _ = new Adam(P, lr: -0.001),
        ["adam_eps"] = () => _ = new Adam(P, eps: -1e-8),
        ["adam_beta0"] = () => _ = new Adam(P, betas: (1.0, 0.999)),
        ["adam_beta1"] = () => _ = new Adam(P, betas: (0.9, -0.5)),
        ["adam_weight_decay"] = () => _ = new Adam(P, weightDecay: -1.0),
        ["adamw_beta0"] = () => _ = new AdamW(P, betas: (-0.1, 0.999)),
        ["rmsprop_alpha"] = () => _ = new RMSprop(P, alpha: -0.99),
        ["rmsprop_momentum"] = () => _ = new RMSprop(P, momentum: -0.9),
        ["rmsprop_eps"] = () => _ = new RMSprop(P, eps: -1e-05),
        ["adagrad_lr_decay"] = () => _ = new Adagrad(P, lrDecay: -0.1),
        ["adagrad_initial_accumulator"] = () => _ = new Adagrad(P, initialAccumulatorValue: -1.0),
        ["adagrad_eps"] = () => _ = new Adagrad(P, eps: -1e-10),
        ["empty"] = () => _ = new SGD(Array.Empty<Tensor>(), lr: 0.1),
        ["non_leaf"] = () => _ = new SGD([P[0] * 2], lr: 0.1),
        ["duplicate_group"] = () => _ = new SGD([new ParamGroup(P), new ParamGroup(P)], lr: 0.1),
        ["lbfgs_groups"] = () => _ = new LBFGS([new ParamGroup([Tensor.Zeros([1], requiresGrad: true)]), new ParamGroup([Tensor.Zeros([1], requiresGrad: true)])]),
        ["plateau_factor"] = () => _ = new ReduceLROnPlateau(new SGD(P, lr: 0.1), factor: 1.0),
        ["plateau_mode"] = () => _ = new ReduceLROnPlateau(new SGD(P, lr: 0.1), mode: "middle"),
        ["plateau_threshold_mode"] = () => _ = new ReduceLROnPlateau(new SGD(P, lr: 0.1), thresholdMode: "pct"),
        ["linear_start"] = () => _ = new LinearLR(new SGD(P, lr: 0.1), startFactor: 1.5),
        ["onecycle_none"] = () => _ = new OneCycleLR(new SGD(P, lr: 0.1), maxLr: 0.1),
        ["onecycle_total"] = () => _ = new OneCycleLR(new SGD(P, lr: 0.1), maxLr: 0.1, totalSteps: 0),
        ["onecycle_anneal"] = () => _ = new OneCycleLR(new SGD(P, lr: 0.1), maxLr: 0.1, totalSteps: 10, annealStrategy: "exp"),
        ["onecycle_momentum"] = () => _ = new OneCycleLR(new Adagrad(P, lr: 0.1), maxLr: 0.1, totalSteps: 10),
        ["sequential_milestones"] = () =>
        {
            var o = new SGD(P, lr: 0.1);
            _ = new SequentialLR(o, [new StepLR(o, 2)], [3]);
        },
        ["onecycle_overstep"] = () =>
        {
            var s = new OneCycleLR(new SGD(P, lr: 0.1, momentum: 0.9), maxLr: 0.1, totalSteps: 3);
            for (int i = 0; i < 4; i++)
            {
                s.Step();
            }
        },
    };

    public static TheoryData<string> ErrorNames => FixtureNames.Of(Errors);

    public static TheoryData<string> LbfgsNames => FixtureNames.Of(Lbfgs);

    [Fact]
    public void EveryRecordedErrorHasACase() => ErrorCases.Keys.Should().BeEquivalentTo(Errors.Keys);

    [Theory]
    [MemberData(nameof(ErrorNames))]
    public void Validation_ThrowsPyTorchsMessage(string name) =>
        FluentActions.Invoking(ErrorCases[name]).Should().Throw<Exception>().Which.Message.Should().StartWith(Errors[name]);

    [Fact]
    public void EveryLbfgsCaseHasAnOptimizer() =>
        Lbfgs.Keys.Should().BeEquivalentTo(["plain", "plain_lr_history", "strong_wolfe", "strong_wolfe_defaults"]);

    [Theory]
    [MemberData(nameof(LbfgsNames))]
    public void Lbfgs_OnRosenbrock_MatchesPyTorch(string name)
    {
        // f(x, y) = (1 − x)² + 100(y − x²)² from (−1.5, 2), float64, 10 calls of step(closure).
        Tensor x = Tensor.From([-1.5], requiresGrad: true), y = Tensor.From([2.0], requiresGrad: true);
        LBFGS optimizer = name switch
        {
            "plain" => new LBFGS([x, y], lr: 1, maxIter: 5),
            "plain_lr_history" => new LBFGS([x, y], lr: 0.5, maxIter: 4, historySize: 3),
            "strong_wolfe" => new LBFGS([x, y], lr: 1, maxIter: 5, lineSearchFn: "strong_wolfe"),
            _ => new LBFGS([x, y], lineSearchFn: "strong_wolfe"),
        };
        Tensor Closure()
        {
            optimizer.ZeroGrad();
            Tensor a = 1 - x, b = y - (x * x);
            Tensor loss = ((a * a) + (100 * (b * b))).Sum();
            loss.Backward();
            return loss;
        }

        int step = 0;
        foreach (JsonElement s in Lbfgs[name].EnumerateArray())
        {
            double loss = optimizer.Step(Closure).Item<double>();
            string what = $"{name} step {step++}";
            // Bit-exact on this machine; 1e-12 relative leaves room for a different summation order in the library's
            // backward (the fixture's gradients come from torch's autograd, ours from this library's).
            Close(loss, OptimFixture.Hex(s.GetProperty("loss")), what + " loss");
            Close(x.Item<double>(), OptimFixture.Hex(s.GetProperty("x")), what + " x");
            Close(y.Item<double>(), OptimFixture.Hex(s.GetProperty("y")), what + " y");
            OptimizerStateDict state = optimizer.StateDict();
            state.State[0]["func_evals"].Should().Be(s.GetProperty("func_evals").GetInt32(), what);
            state.State[0]["n_iter"].Should().Be(s.GetProperty("n_iter").GetInt32(), what);
        }
    }

    private static void Close(double got, double want, string what) =>
        got.Should().BeApproximately(want, 1e-12 * Math.Max(Math.Abs(want), 1e-300), what);

    [Fact]
    public void Lbfgs_WithoutClosure_Throws()
    {
        var optimizer = new LBFGS([Tensor.Zeros([1], requiresGrad: true)]);
        FluentActions.Invoking(optimizer.Step).Should().Throw<InvalidOperationException>().WithMessage("*closure*");
    }

    [Fact]
    public void Adam_FirstStep_MovesEachCoordinateByLr()
    {
        // Step 1: m = (1−β₁)g, v = (1−β₂)g², m̂ = g, √v̂ = |g|, so p ← p − lr·g/(|g| + ε) ≈ p − lr·sign(g) for |g| ≫ ε.
        var p = Tensor.From([1.0, -2.0, 3.0], requiresGrad: true);
        var adam = new Adam([p], lr: 0.1);
        p.Grad = Tensor.From([0.5, -4.0, 1e-3]);
        adam.Step();
        p.ToArray<double>().Should().Equal([0.9, -1.9, 2.9], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void SgdMomentum_HandDerivedTwoSteps()
    {
        // g = 1 each step, μ = 0.9, lr = 0.1: b₁ = g = 1, p₁ = −0.1; b₂ = 0.9·1 + 1 = 1.9, p₂ = −0.1 − 0.19 = −0.29.
        var p = Tensor.Zeros([1], DType.Float32, requiresGrad: true);
        var sgd = new SGD([p], lr: 0.1, momentum: 0.9);
        for (int i = 0; i < 2; i++)
        {
            p.Grad = Tensor.Ones([1]);
            sgd.Step();
        }

        p.Item().Should().BeApproximately(-0.29f, 1e-7f);
        ((Tensor)sgd.StateDict().State[0]["momentum_buffer"]).Item().Should().BeApproximately(1.9f, 1e-6f);
    }

    [Fact]
    public void Step_BumpsTheVersionAndRecordsNothing()
    {
        var p = Tensor.From([1f, 2f], requiresGrad: true);
        Optimizer[] optimizers = [new Adam([p]), new AdamW([p]), new RMSprop([p], momentum: 0.5, centered: true), new Adagrad([p]), new SGD([p], lr: 0.1, momentum: 0.9)];
        int version = p.Version;
        foreach (Optimizer optimizer in optimizers)
        {
            (p * p).Sum().Backward();
            optimizer.Step();
            p.Version.Should().Be(++version);
            p.IsLeaf.Should().BeTrue();
            p.RequiresGrad.Should().BeTrue();
            optimizer.ZeroGrad(setToNone: true);
            p.Grad.Should().BeNull();
        }
    }

    [Fact]
    public void ParamGroups_TakeUnsetOptionsFromTheDefaults()
    {
        Tensor a = Tensor.Zeros([1], requiresGrad: true), b = Tensor.Zeros([1], requiresGrad: true), c = Tensor.Zeros([1], requiresGrad: true);
        var adam = new Adam([new ParamGroup([a]) { LearningRate = 1e-4 }, new ParamGroup([b])], lr: 1e-3, betas: (0.8, 0.99));
        adam.ParamGroups[0].LearningRate.Should().Be(1e-4);
        adam.ParamGroups[1].LearningRate.Should().Be(1e-3);
        adam.ParamGroups[0].Betas.Should().Be((0.8, 0.99));
        adam.AddParamGroup(new ParamGroup([c]) { WeightDecay = 0.5 });
        adam.ParamGroups[2].WeightDecay.Should().Be(0.5);
        adam.ParamGroups[2].LearningRate.Should().Be(1e-3);
        FluentActions.Invoking(() => adam.AddParamGroup(new ParamGroup([a]))).Should().Throw<ArgumentException>()
            .WithMessage("some parameters appear in more than one parameter group*");
        FluentActions.Invoking(() => _ = adam.ParamGroups[0].Momentum).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void LoadStateDict_RejectsMismatchedGroups()
    {
        Tensor a = Tensor.Zeros([1], requiresGrad: true), b = Tensor.Zeros([1], requiresGrad: true);
        var one = new Adam([a, b]);
        var two = new Adam([new ParamGroup([a]), new ParamGroup([b])]);
        FluentActions.Invoking(() => two.LoadStateDict(one.StateDict())).Should().Throw<ArgumentException>()
            .WithMessage("loaded state dict has a different number of parameter groups*");
        FluentActions.Invoking(() => new Adam([a]).LoadStateDict(one.StateDict())).Should().Throw<ArgumentException>()
            .WithMessage("loaded state dict contains a parameter group that doesn't match the size of optimizer's group*");
    }

    [Fact]
    public void StridedParameter_IsUpdatedThroughACopy()
    {
        // A transposed leaf is not contiguous; SGD must still update every element: p ← p − 0.5·1.
        Tensor p = Tensor.From(new float[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }).T;
        p.RequiresGrad = true;
        p.IsContiguous.Should().BeFalse();
        var sgd = new SGD([p], lr: 0.5, momentum: 0.1);
        p.Grad = Tensor.Ones([2, 3]);
        sgd.Step();
        p.ToArray().Should().Equal(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd_momentum")]
    [InlineData("adam")]
    [InlineData("adamw_amsgrad")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    public void Step_AllocatesNothingAfterWarmUp(string kind)
    {
        // A 256×256 float32 weight and a float64 bias. The first step allocates the state buffers (256 KB per buffer of
        // the weight); afterwards a step reads group options (unboxing the values the group already holds), looks up
        // each parameter's state and runs the fused kernel over the storage spans: nothing is allocated, to the byte.
        Tensor w = Tensor.Randn([256, 256], DType.Float32, requiresGrad: true), b = Tensor.Randn([256], DType.Float64, requiresGrad: true);
        w.Grad = Tensor.Randn([256, 256], DType.Float32);
        b.Grad = Tensor.Randn([256], DType.Float64);
        Optimizer optimizer = kind switch
        {
            "sgd" => new SGD([w, b], lr: 0.01),
            "sgd_momentum" => new SGD([w, b], lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            "adam" => new Adam([w, b]),
            "adamw_amsgrad" => new AdamW([w, b], amsgrad: true),
            "rmsprop" => new RMSprop([w, b], momentum: 0.9, centered: true),
            _ => new Adagrad([w, b], lrDecay: 0.01),
        };
        optimizer.Step();
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, "ten steps of {0} over 65,792 elements", kind);
    }
}
