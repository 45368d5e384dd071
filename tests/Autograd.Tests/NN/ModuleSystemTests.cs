using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Layers;

/// <summary>
/// The module system against PyTorch (the extra sections of <c>Fixtures/nn_cases.json</c>): repr text, state-dict
/// keys, named parameters and modules, load errors, and exported state dicts that must reproduce torch's outputs; plus
/// initialisation statistics.
/// </summary>
public class ModuleSystemTests
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "nn_cases.json")));
        return document.RootElement.Clone();
    });

    private sealed class SmallCnn : Module<Tensor, Tensor>
    {
        public SmallCnn()
        {
            Conv1 = RegisterModule("conv1", new Conv2d(1, 4, 3, padding: 1));
            Bn1 = RegisterModule("bn1", new BatchNorm2d(4));
            Pool = RegisterModule("pool", new MaxPool2d(2));
            Conv2 = RegisterModule("conv2", new Conv2d(4, 6, 3, bias: false));
            Norm2 = RegisterModule("norm2", new GroupNorm(2, 6));
            Head = RegisterModule("head", new Sequential(new Flatten(), new Linear(6, 5), new ReLU(), new Dropout(0.2), new Linear(5, 3)));
        }

        public Conv2d Conv1 { get; }

        public BatchNorm2d Bn1 { get; }

        public MaxPool2d Pool { get; }

        public Conv2d Conv2 { get; }

        public GroupNorm Norm2 { get; }

        public Sequential Head { get; }

        public override Tensor Forward(Tensor input)
        {
            Tensor x = Pool.Forward(Tensor.Relu(Bn1.Forward(Conv1.Forward(input))));
            x = Tensor.Relu(Norm2.Forward(Conv2.Forward(x)));
            return Head.Forward(x);
        }
    }

    private sealed class Tagger : Module<Tensor, Tensor>
    {
        public Tagger()
        {
            Embed = RegisterModule("embed", new Embedding(10, 4, paddingIdx: 0));
            Layers = RegisterModule("layers", new ModuleList<Linear>(new Linear(4, 4), new Linear(4, 4)));
            Norm = RegisterModule("norm", new LayerNorm(4));
            Heads = RegisterModule("heads", new ModuleDict { ["tag"] = new Linear(4, 3), ["score"] = new Bilinear(4, 4, 1) });
        }

        public Embedding Embed { get; }

        public ModuleList<Linear> Layers { get; }

        public LayerNorm Norm { get; }

        public ModuleDict Heads { get; }

        public override Tensor Forward(Tensor input)
        {
            Tensor h = Embed.Forward(input);
            foreach (Linear layer in Layers)
            {
                h = Tensor.Tanh(layer.Forward(h));
            }

            return ((Linear)Heads["tag"]).Forward(Norm.Forward(h));
        }
    }

    private static Sequential Mlp() => new(new Linear(4, 8), new ReLU(), new Dropout(0.1), new Linear(8, 3));

    private static Module<Tensor, Tensor> Model(string name) => name switch
    {
        "mlp" => Mlp(),
        "small_cnn" => new SmallCnn(),
        _ => new Tagger(),
    };

    private static Sequential Misc() => new(
        new Conv1d(2, 3, 3, stride: 2), new Conv2d(3, 8, [3, 5], padding: [1, 2], dilation: [2, 2], bias: false),
        new Conv2d(2, 2, 3, 1, "same"), new ConvTranspose2d(4, 2, 3, stride: 2, outputPadding: 1, groups: 2),
        new BatchNorm1d(4, momentum: null, affine: false), new BatchNorm2d(5, eps: 1e-3, trackRunningStats: false),
        new LayerNorm([2, 3], elementwiseAffine: false), new GroupNorm(2, 4, eps: 1e-6),
        new MaxPool2d(3, stride: 2, padding: 1), new MaxPool2d([2, 3]), new AvgPool2d(2), new AdaptiveAvgPool2d(2, 3), new AdaptiveMaxPool2d(1),
        new Flatten(), new Unflatten(1, 2, 5), new Identity(), new Dropout(), new Embedding(7, 2),
        new ReLU(), new ReLU6(), new LeakyReLU(), new ELU(), new SELU(), new CELU(0.5), new GELU(), new SiLU(), new Mish(), new Tanh(),
        new Sigmoid(), new Softplus(), new Softsign(), new Hardtanh(), new Hardsigmoid(), new Hardswish(), new LogSigmoid(),
        new Softmax(-1), new LogSoftmax(1), new GLU(), new Tanhshrink(), new Softshrink(), new Hardshrink(0.25));

    [Fact]
    public void Repr_MatchesPyTorch()
    {
        JsonElement reprs = s_root.Value.GetProperty("reprs");
        Mlp().ToString().Should().Be(reprs.GetProperty("mlp").GetString());
        new SmallCnn().ToString().Should().Be(reprs.GetProperty("small_cnn").GetString());
        new Tagger().ToString().Should().Be(reprs.GetProperty("tagger").GetString());
        new Linear(4, 3).ToString().Should().Be(reprs.GetProperty("linear").GetString());
        new Sequential().ToString().Should().Be(reprs.GetProperty("empty_sequential").GetString());
        new Bilinear(2, 3, 4, bias: false).ToString().Should().Be(reprs.GetProperty("bilinear").GetString());

        // The losses are two-input modules, so they cannot sit in a Sequential; torch's misc model ends with three of them.
        string expected = reprs.GetProperty("misc").GetString()!;
        string withoutLosses = expected[..expected.IndexOf("  (41): MSELoss()", StringComparison.Ordinal)] + ")";
        Misc().ToString().Should().Be(withoutLosses);
        expected.Should().Contain("(41): " + new MSELoss()).And.Contain("(42): " + new CrossEntropyLoss()).And.Contain("(43): " + new KLDivLoss("batchmean"));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("small_cnn")]
    [InlineData("tagger")]
    public void StateDictKeys_MatchPyTorch(string name)
    {
        string[] expected = [.. s_root.Value.GetProperty("state_keys").GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        Model(name).StateDict().Keys.Should().Equal(expected);
    }

    [Theory]
    [InlineData("small_cnn")]
    [InlineData("tagger")]
    public void NamedParametersAndModules_MatchPyTorch(string name)
    {
        Module model = Model(name);
        model.NamedParameters().Select(p => p.Name).Should().Equal(
            s_root.Value.GetProperty("named_parameters").GetProperty(name).EnumerateArray().Select(e => e.GetString()!));
        model.NamedModules().Select(m => m.Name).Should().Equal(
            s_root.Value.GetProperty("named_modules").GetProperty(name).EnumerateArray().Select(e => e.GetString()!));
    }

    /// <summary>Loading torch's exported state dict (values and running statistics after two training steps) gives torch's eval output.</summary>
    [Theory]
    [InlineData("mlp")]
    [InlineData("small_cnn")]
    [InlineData("tagger")]
    public void ExportedStateDict_ReproducesPyTorchOutput(string name)
    {
        JsonElement entry = s_root.Value.GetProperty("state_dicts").GetProperty(name);
        var state = entry.GetProperty("state").EnumerateArray()
            .Select(e => new KeyValuePair<string, Tensor>(e.GetProperty("key").GetString()!, ReferenceFixture.ToTensor(e.GetProperty("tensor"))))
            .ToList();
        Module<Tensor, Tensor> model = Model(name);
        (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) = model.LoadStateDict(state);
        missing.Should().BeEmpty();
        unexpected.Should().BeEmpty();
        model.Eval();
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = model.Forward(ReferenceFixture.ToTensor(entry.GetProperty("input")));
        }

        ReferenceFixture.ShouldMatch(output, entry.GetProperty("output"), name);
        foreach ((string key, Tensor value) in state)
        {
            model.StateDict()[key].Equal(value).Should().BeTrue(key);
        }
    }

    [Fact]
    public void LoadErrors_MatchPyTorchAndChangeNothing()
    {
        JsonElement errors = s_root.Value.GetProperty("load_errors");
        void Fails(Module model, IEnumerable<KeyValuePair<string, Tensor>> state, string name)
        {
            Tensor[] before = [.. model.StateDict().Values.Select(t => t.Clone())];
            FluentActions.Invoking(() => model.LoadStateDict(state)).Should().Throw<InvalidOperationException>()
                .Which.Message.Should().Be(errors.GetProperty(name).GetString());
            model.StateDict().Values.Zip(before).Should().OnlyContain(p => p.First.Equal(p.Second), "a failed load writes nothing");
        }

        static KeyValuePair<string, Tensor> Kv(string key, params int[] shape) => new(key, Tensor.Zeros(shape));
        Fails(new Linear(4, 3), [Kv("weight", 3, 4)], "linear_missing_bias");
        Fails(new Linear(4, 3), [Kv("weight", 3, 4), Kv("bias", 3), Kv("scale", 1)], "linear_unexpected");
        Fails(new Linear(4, 3), [Kv("weight", 2, 4), Kv("bias", 3)], "linear_size_mismatch");
        Fails(Mlp(), [Kv("0.weight", 8, 4), Kv("0.bias", 7), Kv("2.weight", 1), Kv("3.weight", 3, 8), Kv("extra", 1)], "mlp_all");
        var cnn = new SmallCnn();
        Fails(cnn, [.. cnn.StateDict().Where(kv => kv.Key != "bn1.running_var").Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Clone()))], "cnn_missing_buffer");

        // Non-strict: missing and unexpected keys are reported, the rest loaded.
        var linear = new Linear(4, 3);
        (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) = linear.LoadStateDict([new("weight", Tensor.Ones(3, 4)), Kv("scale", 1)], strict: false);
        missing.Should().Equal("bias");
        unexpected.Should().Equal("scale");
        linear.Weight.ToArray().Should().OnlyContain(v => v == 1f);
    }

    [Fact]
    public void Registration_FreezingAndModes()
    {
        var model = new Tagger();
        model.Parameters().Should().HaveCount(11);
        model.RequiresGrad(false);
        model.Parameters().Should().OnlyContain(p => !p.RequiresGrad);
        model.Eval();
        model.Modules().Should().OnlyContain(m => !m.Training);
        var visited = new List<string>();
        model.Apply(m => visited.Add(m.GetType().Name));
        visited[^1].Should().Be("Tagger", "apply visits children first, then the module");
        FluentActions.Invoking(() => model.RegisterParameter("a.b", Tensor.Zeros(1))).Should().Throw<ArgumentException>().WithMessage("parameter name can't contain \".\"*");
        FluentActions.Invoking(() => model.RegisterBuffer("norm", Tensor.Zeros(1))).Should().Throw<ArgumentException>().WithMessage("attribute 'norm' already exists*");
        FluentActions.Invoking(() => model.RegisterParameter("w", Tensor.Ones([2], requiresGrad: true) * 2f)).Should().Throw<ArgumentException>()
            .WithMessage("Cannot assign non-leaf Tensor to parameter 'w'*");
        Tensor shared = new Linear(2, 2).Weight;
        var a = new Linear(2, 2);
        a.RegisterParameter("extra", shared);
        a.RegisterBuffer("scratch", Tensor.Zeros(2), persistent: false);
        a.StateDict().Keys.Should().Equal("weight", "bias", "extra");
        a.NamedBuffers().Select(b => b.Name).Should().Equal("scratch");
        var seq = new Sequential(a, new ReLU()).Append(new Linear(2, 1));
        seq.Count.Should().Be(3);
        seq[-1].Should().BeOfType<Linear>();
        seq.Forward(Tensor.Ones(5, 2)).Shape.Should().Equal(5, 1);
    }

    /// <summary>
    /// Initialisation statistics over 40 000 draws: the sample mean of U(−b, b) has standard error b/√(3·40000) ≈ 0.003·b
    /// and the sample std ≈ 0.0035·std, so tolerances of 0.02 (relative) are about six standard errors.
    /// </summary>
    [Fact]
    public void Init_Statistics()
    {
        var g = new Generator(7);
        Tensor w = Tensor.Zeros(200, 200);
        static (double Mean, double Std) Stats(Tensor t) => (t.Double().Mean().Item<double>(), Math.Sqrt(t.Double().Var().Item<double>()));

        // kaiming_uniform(a=√5) gives U(±1/√fan_in): std = 1/(√3·√200).
        (double mean, double std) = Stats(Init.KaimingUniform_(w, Math.Sqrt(5), generator: g));
        mean.Should().BeApproximately(0, 0.02 / Math.Sqrt(600));
        std.Should().BeApproximately(1 / Math.Sqrt(600), 0.02 / Math.Sqrt(600));
        w.ToArray().Should().OnlyContain(v => Math.Abs(v) <= 1 / Math.Sqrt(200) + 1e-7);

        // kaiming_normal (relu, fan_out): std = √2/√200 = 0.1.
        (mean, std) = Stats(Init.KaimingNormal_(w, mode: "fan_out", nonlinearity: "relu", generator: g));
        mean.Should().BeApproximately(0, 0.002);
        std.Should().BeApproximately(0.1, 0.002);

        // xavier_uniform, gain 2: bound 2·√(6/400), std = bound/√3 = 2·√(6/400)/√3 = 2·√(1/200).
        (_, std) = Stats(Init.XavierUniform_(w, 2, g));
        std.Should().BeApproximately(2 / Math.Sqrt(200), 0.02 * 2 / Math.Sqrt(200));
        (_, std) = Stats(Init.XavierNormal_(w, 1, g));
        std.Should().BeApproximately(Math.Sqrt(2.0 / 400), 0.02 * Math.Sqrt(2.0 / 400));

        // trunc_normal on [−1, 1] of N(0.5, 1): every value inside the bounds, mean pulled down to
        // μ + σ·(φ(α) − φ(β))/(Φ(β) − Φ(α)) with α = −1.5, β = 0.5: 0.5 + (0.1295 − 0.3521)/(0.6915 − 0.0668) ≈ 0.1437.
        Init.TruncNormal_(w, 0.5, 1, -1, 1, g).ToArray().Should().OnlyContain(v => v >= -1 && v <= 1);
        (mean, _) = Stats(w);
        mean.Should().BeApproximately(0.1437, 0.01);
        (mean, std) = Stats(Init.Normal_(w, 3, 0.5, g));
        mean.Should().BeApproximately(3, 0.01);
        std.Should().BeApproximately(0.5, 0.01);
        Init.Constant_(w, 0.25).ToArray().Should().OnlyContain(v => v == 0.25f);

        // orthogonal: QᵀQ = I for tall, QQᵀ = I for wide, scaled by gain².
        Tensor tall = Init.Orthogonal_(Tensor.Zeros(6, 3), 2, g), wide = Init.Orthogonal_(Tensor.Zeros(3, 6), 1, g);
        Tensor.MatMul(tall.T, tall).AllClose(Tensor.Eye(3) * 4f, atol: 1e-5f).Should().BeTrue();
        Tensor.MatMul(wide, wide.T).AllClose(Tensor.Eye(3), atol: 1e-5f).Should().BeTrue();
        Init.CalculateGain("leaky_relu", 0.2).Should().BeApproximately(Math.Sqrt(2 / 1.04), 1e-12);
        Init.CalculateGain("tanh").Should().Be(5.0 / 3);
    }

    [Fact]
    public void ParametersToVector_RoundTrips()
    {
        var model = Mlp();
        Tensor v = Utils.ParametersToVector(model.Parameters());
        v.Shape.Should().Equal(4 * 8 + 8 + 8 * 3 + 3);
        Utils.VectorToParameters(Tensor.Arange(v.Count), model.Parameters());
        model.StateDict()["0.bias"].ToArray().Should().Equal(32f, 33f, 34f, 35f, 36f, 37f, 38f, 39f);
        model.To(DType.Float64).Parameters().Should().OnlyContain(p => p.DType == DType.Float64 && p.RequiresGrad);
    }
}
