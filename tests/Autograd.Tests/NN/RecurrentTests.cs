using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Layers;

/// <summary>
/// RNN, LSTM, GRU and their cells against <c>Fixtures/rnn_cases.json</c> (tools/reference/rnn_cases.py): torch's modules
/// run with the case's leaves as parameters; each case's inputs are the sequence, the initial state when given, then the
/// parameters in torch's order (their names under "meta"), and the output is cat(output, h_n[, c_n]) flattened, so the
/// recorded gradients are those of a scalar loss with respect to the input, the initial state and every parameter.
/// Float64 cases of each family also record second-order gradients (createGraph through the time loop). Error cases
/// hold torch's message for invalid shapes.
/// </summary>
public class RecurrentTests
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "rnn_cases.json")));
        return document.RootElement.Clone();
    });

    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("rnn_cases.json"));

    private static readonly Dictionary<string, Func<Module>> s_modules = BuildModules();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    public static TheoryData<string> ValueCaseNames =>
        FixtureNames.Of(s_cases.Value.Where(c => !c.Value.TryGetProperty("error", out _)).ToDictionary(c => c.Key, c => c.Value));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) =>
        ReferenceFixture.Replay(name, s_cases.Value[name], t => Run(name, s_modules[name](), t, register: true));

    /// <summary>The same weights loaded through LoadStateDict (strict, PyTorch's key names) give torch's output.</summary>
    [Theory]
    [MemberData(nameof(ValueCaseNames))]
    public void Case_LoadStateDictGivesPyTorchOutput(string name)
    {
        JsonElement testCase = s_cases.Value[name];
        Tensor[] t = [.. testCase.GetProperty("inputs").EnumerateArray().Select(ReferenceFixture.ToTensor)];
        Tensor output = Run(name, s_modules[name](), t, register: false);
        ReferenceFixture.ShouldMatch(output, testCase.GetProperty("output"), $"{name}: output");
    }

    [Fact]
    public void EveryCaseHasACounterpart() => s_modules.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    [Fact]
    public void ToString_MatchesPyTorchRepr()
    {
        JsonElement reprs = s_root.Value.GetProperty("reprs");
        new LSTM(10, 20, numLayers: 2, batchFirst: true).ToString().Should().Be(reprs.GetProperty("lstm").GetString()).And.Be("LSTM(10, 20, num_layers=2, batch_first=True)");
        new RNN(3, 4, numLayers: 2, nonlinearity: "relu", bias: false, dropout: 0.5, bidirectional: true).ToString().Should().Be(reprs.GetProperty("rnn").GetString());
        new GRU(3, 4).ToString().Should().Be(reprs.GetProperty("gru").GetString());
        new GRU(3, 4, numLayers: 3, dropout: 0.25).ToString().Should().Be(reprs.GetProperty("gru_dropout").GetString());
        new RNNCell(3, 4).ToString().Should().Be(reprs.GetProperty("rnncell").GetString());
        new RNNCell(3, 4, bias: false, nonlinearity: "relu").ToString().Should().Be(reprs.GetProperty("rnncell_relu").GetString());
        new LSTMCell(3, 4, bias: false).ToString().Should().Be(reprs.GetProperty("lstmcell").GetString());
        new GRUCell(3, 4).ToString().Should().Be(reprs.GetProperty("grucell").GetString());
    }

    [Fact]
    public void Parameters_HavePyTorchNamesShapesAndOrder()
    {
        var lstm = new LSTM(3, 5, numLayers: 2, bidirectional: true);
        lstm.StateDict().Select(e => (e.Key, string.Join(",", e.Value.Shape.ToArray()))).Should().Equal(
            ("weight_ih_l0", "20,3"), ("weight_hh_l0", "20,5"), ("bias_ih_l0", "20"), ("bias_hh_l0", "20"),
            ("weight_ih_l0_reverse", "20,3"), ("weight_hh_l0_reverse", "20,5"), ("bias_ih_l0_reverse", "20"), ("bias_hh_l0_reverse", "20"),
            ("weight_ih_l1", "20,10"), ("weight_hh_l1", "20,5"), ("bias_ih_l1", "20"), ("bias_hh_l1", "20"),
            ("weight_ih_l1_reverse", "20,10"), ("weight_hh_l1_reverse", "20,5"), ("bias_ih_l1_reverse", "20"), ("bias_hh_l1_reverse", "20"));
        new GRU(3, 2, bias: false).StateDict().Keys.Should().Equal("weight_ih_l0", "weight_hh_l0");
        new GRUCell(3, 2).StateDict().Select(e => (e.Key, e.Value.Shape[0])).Should().Equal(("weight_ih", 6), ("weight_hh", 6), ("bias_ih", 6), ("bias_hh", 6));
        new RNNCell(3, 2, bias: false).StateDict().Keys.Should().Equal("weight_ih", "weight_hh");
    }

    /// <summary>PyTorch's init: every parameter from U(±1/√hidden); with 16·(1+4+1+1)·… thousands of draws the extremes come within 2% of the bound.</summary>
    [Fact]
    public void Init_IsUniformWithinOneOverSqrtHidden()
    {
        foreach (Module module in new Module[] { new LSTM(8, 16, numLayers: 2, generator: new Generator(1)), new GRUCell(8, 16, generator: new Generator(2)), new RNN(8, 16, generator: new Generator(3)) })
        {
            float[] values = [.. module.Parameters().SelectMany(p => p.ToArray())];
            double bound = 1 / Math.Sqrt(16);
            values.Should().OnlyContain(v => Math.Abs(v) <= bound, module.ToString());
            values.Max().Should().BeGreaterThan((float)(0.98 * bound));
            values.Min().Should().BeLessThan((float)(-0.98 * bound));
            values.Average(v => (double)v).Should().BeApproximately(0, 0.02);   // mean of ≥ 800 draws of std 0.144: |mean| < 0.02 is > 3.9 standard errors
        }

        // A seeded generator reproduces the weights.
        new LSTM(3, 4, generator: new Generator(7)).Parameters().First().ToArray()
            .Should().Equal(new LSTM(3, 4, generator: new Generator(7)).Parameters().First().ToArray());
    }

    [Fact]
    public void Constructor_RejectsInvalidSettings()
    {
        FluentActions.Invoking(() => new RNN(3, 4, nonlinearity: "sigmoid")).Should().Throw<ArgumentException>().WithMessage("Unknown nonlinearity 'sigmoid'*");
        FluentActions.Invoking(() => new RNNCell(3, 4, nonlinearity: "gelu")).Should().Throw<ArgumentException>().WithMessage("Unknown nonlinearity 'gelu'*");
        FluentActions.Invoking(() => new LSTM(3, 4, dropout: 1.5)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("dropout should be a number in range [0, 1] representing the probability of an element being zeroed*");
        FluentActions.Invoking(() => new GRU(3, 4, dropout: -0.1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GRU(3, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("hidden_size must be greater than zero*");
        FluentActions.Invoking(() => new LSTMCell(3, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("hidden_size must be greater than zero*");
        FluentActions.Invoking(() => new RNN(3, 4, numLayers: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("num_layers must be greater than zero*");
    }

    [Fact]
    public void Forward_ReturnsPyTorchShapes()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: true, batchFirst: true, generator: new Generator(1));
        (Tensor output, LSTMState state) = lstm.Forward(Tensor.Randn([2, 5, 3], generator: new Generator(2)));
        output.Shape.ToArray().Should().Equal(2, 5, 8);
        state.H.Shape.ToArray().Should().Equal(4, 2, 4);
        state.C.Shape.ToArray().Should().Equal(4, 2, 4);

        (Tensor unbatched, Tensor h) = new GRU(3, 4, numLayers: 3).Forward(Tensor.Randn([6, 3], generator: new Generator(3)));
        unbatched.Shape.ToArray().Should().Equal(6, 4);
        h.Shape.ToArray().Should().Equal(3, 4);

        // The forward direction's last output is its final state; the reverse direction's first output is its final state.
        var bidir = new RNN(3, 4, bidirectional: true, generator: new Generator(4));
        (Tensor o, Tensor hn) = bidir.Forward(Tensor.Randn([5, 2, 3], generator: new Generator(5)));
        o.Select(0, 4).Slice(1, 0, 4).ToArray().Should().Equal(hn.Select(0, 0).ToArray());
        o.Select(0, 0).Slice(1, 4, 8).ToArray().Should().Equal(hn.Select(0, 1).ToArray());
    }

    /// <summary>
    /// A multi-layer LSTM equals its cells chained by hand, layer by layer (the module's precomputed input projection and
    /// the cell's per-step one are the same sums).
    /// </summary>
    [Fact]
    public void Lstm_EqualsChainedCells()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, generator: new Generator(11));
        Tensor x = Tensor.Randn([4, 2, 3], generator: new Generator(12));
        (Tensor output, LSTMState final) = lstm.Forward(x);
        Tensor layerInput = x;
        for (int layer = 0; layer < 2; layer++)
        {
            var cell = new LSTMCell(layer == 0 ? 3 : 4, 4);
            cell.LoadStateDict(new Dictionary<string, Tensor>
            {
                ["weight_ih"] = lstm.GetParameter($"weight_ih_l{layer}")!,
                ["weight_hh"] = lstm.GetParameter($"weight_hh_l{layer}")!,
                ["bias_ih"] = lstm.GetParameter($"bias_ih_l{layer}")!,
                ["bias_hh"] = lstm.GetParameter($"bias_hh_l{layer}")!,
            });
            LSTMState? state = null;
            var steps = new List<Tensor>();
            for (int t = 0; t < 4; t++)
            {
                state = cell.Forward(layerInput.Select(0, t), state);
                steps.Add(state.H);
            }

            layerInput = Tensor.Stack(steps, 0);
            AssertClose(state!.H, final.H.Select(0, layer));
            AssertClose(state.C, final.C.Select(0, layer));
        }

        AssertClose(layerInput, output);
    }

    /// <summary>Dropout between layers: active in training (outputs change from call to call), off in Eval() and for one layer.</summary>
    [Fact]
    public void Dropout_BetweenLayersOnlyInTraining()
    {
        var gru = new GRU(3, 8, numLayers: 2, dropout: 0.5, generator: new Generator(21));
        Tensor x = Tensor.Randn([5, 4, 3], generator: new Generator(22));
        float[] train1 = gru.Forward(x).Output.ToArray(), train2 = gru.Forward(x).Output.ToArray();
        gru.Eval();
        float[] eval1 = gru.Forward(x).Output.ToArray(), eval2 = gru.Forward(x).Output.ToArray();
        eval1.Should().Equal(eval2);
        train1.Should().NotEqual(train2);
        train1.Should().NotEqual(eval1);

        // The same weights without dropout give the eval output.
        var plain = new GRU(3, 8, numLayers: 2);
        plain.LoadStateDict(gru.StateDict());
        plain.Forward(x).Output.ToArray().Should().Equal(eval1);

        // One layer: dropout has nothing to act on, even in training (PyTorch warns and ignores it).
        var single = new LSTM(3, 4, dropout: 0.5, generator: new Generator(23));
        single.Forward(x).Output.ToArray().Should().Equal(single.Forward(x).Output.ToArray());
    }

    [Fact]
    public void LstmCell_GradientsMatchFiniteDifferences()
    {
        var cell = (LSTMCell)new LSTMCell(3, 2, generator: new Generator(31)).To(DType.Float64);
        Tensor[] inputs = [Randn64([2, 3], 32), Randn64([2, 2], 33), Randn64([2, 2], 34), .. cell.Parameters()];
        Func<Tensor[], Tensor> f = t =>
        {
            Register(cell, t, 3, "weight_ih", "weight_hh", "bias_ih", "bias_hh");
            LSTMState s = cell.Forward(t[0], new LSTMState(t[1], t[2]));
            return Tensor.Cat(s.H.Reshape(-1), s.C.Reshape(-1));
        };
        GradCheck.Assert(f, inputs);
        GradCheck.AssertGradGrad(f, inputs);
    }

    [Fact]
    public void GruCell_GradientsMatchFiniteDifferences()
    {
        var cell = (GRUCell)new GRUCell(3, 2, generator: new Generator(41)).To(DType.Float64);
        Tensor[] inputs = [Randn64([2, 3], 42), Randn64([2, 2], 43), .. cell.Parameters()];
        Func<Tensor[], Tensor> f = t =>
        {
            Register(cell, t, 2, "weight_ih", "weight_hh", "bias_ih", "bias_hh");
            return cell.Forward(t[0], t[1]);
        };
        GradCheck.Assert(f, inputs);
        GradCheck.AssertGradGrad(f, inputs);
    }

    /// <summary>The whole time loop in float64: a 2-layer bidirectional GRU over 3 steps, every parameter and h0.</summary>
    [Fact]
    public void BidirectionalGru_GradientsMatchFiniteDifferences()
    {
        var gru = (GRU)new GRU(2, 2, numLayers: 2, bidirectional: true, generator: new Generator(51)).To(DType.Float64);
        string[] names = [.. gru.NamedParameters().Select(p => p.Name)];
        Tensor[] inputs = [Randn64([3, 1, 2], 52), Randn64([4, 1, 2], 53), .. gru.Parameters()];
        GradCheck.Assert(
            t =>
            {
                Register(gru, t, 2, names);
                (Tensor output, Tensor h) = gru.Forward(t[0], t[1]);
                return Tensor.Cat(output.Reshape(-1), h.Reshape(-1));
            },
            inputs);
    }

    private static Tensor Randn64(int[] shape, int seed) => Tensor.Randn(shape, DType.Float64, requiresGrad: true, generator: new Generator(seed));

    private static void AssertClose(Tensor actual, Tensor expected)
    {
        actual.Shape.ToArray().Should().Equal(expected.Shape.ToArray());
        float[] a = actual.ToArray(), e = expected.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            a[i].Should().BeApproximately(e[i], 1e-6f, "element {0}", i);   // float32 sums of ≤ 7 terms of O(1): a few ulp
        }
    }

    private static void Register(Module module, Tensor[] t, int first, params string[] names)
    {
        for (int i = 0; i < names.Length; i++)
        {
            module.RegisterParameter(names[i], t[first + i]);
        }
    }

    /// <summary>
    /// Runs a fixture case: converts the module to the case's dtype, checks its parameter names against torch's, puts
    /// the case's parameters in (registered as the leaves so that their gradients are recorded, or copied in with
    /// LoadStateDict), then returns cat(output, h_n[, c_n]) flattened (a cell: h'[, c']).
    /// </summary>
    private static Tensor Run(string name, Module module, Tensor[] t, bool register)
    {
        JsonElement meta = s_root.Value.GetProperty("meta").GetProperty(name);
        int inputs = meta.GetProperty("inputs").GetInt32();
        string[] names = [.. meta.GetProperty("params").EnumerateArray().Select(e => e.GetString()!)];
        if (name.Contains("_eval", StringComparison.Ordinal))
        {
            module.Eval();
        }

        if (names.Length > 0)
        {
            module.To(t[0].DType);
            module.NamedParameters().Select(p => p.Name).Should().Equal(names, "torch's parameter names and order");
            if (register)
            {
                Register(module, t, inputs, names);
            }
            else
            {
                module.LoadStateDict(names.Select((n, i) => KeyValuePair.Create(n, t[inputs + i])));
            }
        }

        Tensor? h0 = inputs > 1 ? t[1] : null;
        Tensor? c0 = inputs > 2 ? t[2] : null;
        Tensor[] parts = module switch
        {
            LSTM lstm => Lstm(lstm.Forward(t[0], h0 is null ? null : new LSTMState(h0, c0!))),
            RNNBase<Tensor> rnn => Pair(rnn.Forward(t[0], h0)),
            LSTMCell cell => [.. Lstm((t[0], cell.Forward(t[0], h0 is null ? null : new LSTMState(h0, c0!))))[1..]],
            RNNCellBase<Tensor> cell => [cell.Forward(t[0], h0)],
            _ => throw new InvalidOperationException(name),
        };
        return Tensor.Cat([.. parts.Select(p => p.Reshape(-1))]);

        static Tensor[] Lstm((Tensor Output, LSTMState State) r) => [r.Output, r.State.H, r.State.C];
        static Tensor[] Pair((Tensor Output, Tensor State) r) => [r.Output, r.State];
    }

    private static Dictionary<string, Func<Module>> BuildModules()
    {
        const int I = 3, H = 4;
        var m = new Dictionary<string, Func<Module>>();
        foreach (string tag in new[] { "f32", "f64" })
        {
            m[$"rnn_tanh_{tag}"] = () => new RNN(I, H);
            m[$"rnn_tanh_2layer_h0_{tag}"] = () => new RNN(I, H, numLayers: 2);
            m[$"rnn_relu_bidir_h0_{tag}"] = () => new RNN(I, H, nonlinearity: "relu", bidirectional: true);
            m[$"rnn_nobias_batchfirst_{tag}"] = () => new RNN(I, H, bias: false, batchFirst: true);
            m[$"rnn_unbatched_2layer_h0_{tag}"] = () => new RNN(I, H, numLayers: 2);
            m[$"rnn_relu_2layer_bidir_batchfirst_{tag}"] = () => new RNN(I, H, numLayers: 2, nonlinearity: "relu", bidirectional: true, batchFirst: true);
            m[$"lstm_{tag}"] = () => new LSTM(I, H);
            m[$"lstm_2layer_bidir_h0_{tag}"] = () => new LSTM(I, H, numLayers: 2, bidirectional: true);
            m[$"lstm_nobias_batchfirst_{tag}"] = () => new LSTM(I, H, bias: false, batchFirst: true);
            m[$"lstm_unbatched_h0_{tag}"] = () => new LSTM(I, H);
            m[$"lstm_unbatched_bidir_batchfirst_{tag}"] = () => new LSTM(I, H, bidirectional: true, batchFirst: true);
            m[$"lstm_2layer_dropout_eval_{tag}"] = () => new LSTM(I, H, numLayers: 2, dropout: 0.5);
            m[$"gru_{tag}"] = () => new GRU(I, H);
            m[$"gru_2layer_bidir_h0_{tag}"] = () => new GRU(I, H, numLayers: 2, bidirectional: true);
            m[$"gru_nobias_batchfirst_h0_{tag}"] = () => new GRU(I, H, bias: false, batchFirst: true);
            m[$"gru_unbatched_2layer_{tag}"] = () => new GRU(I, H, numLayers: 2);
            m[$"rnncell_tanh_h_{tag}"] = () => new RNNCell(I, H);
            m[$"rnncell_relu_{tag}"] = () => new RNNCell(I, H, nonlinearity: "relu");
            m[$"rnncell_unbatched_nobias_h_{tag}"] = () => new RNNCell(I, H, bias: false);
            m[$"lstmcell_h_{tag}"] = () => new LSTMCell(I, H);
            m[$"lstmcell_{tag}"] = () => new LSTMCell(I, H);
            m[$"lstmcell_unbatched_nobias_h_{tag}"] = () => new LSTMCell(I, H, bias: false);
            m[$"grucell_h_{tag}"] = () => new GRUCell(I, H);
            m[$"grucell_{tag}"] = () => new GRUCell(I, H);
            m[$"grucell_unbatched_nobias_h_{tag}"] = () => new GRUCell(I, H, bias: false);
        }

        Func<Module> lstm = () => new LSTM(10, 20, numLayers: 2);
        foreach (string name in new[] { "input_size", "h0_shape", "c0_shape", "4d_input", "unbatched_3d_state", "batched_2d_state" })
        {
            m[$"error_lstm_{name}"] = lstm;
        }

        m["error_gru_h0_shape"] = () => new GRU(10, 20);
        m["error_gru_4d_input"] = () => new GRU(10, 20);
        m["error_gru_input_size"] = () => new GRU(10, 20, batchFirst: true);
        m["error_rnn_h0_2d"] = () => new RNN(10, 20);
        m["error_rnn_h0_shape_bidir"] = () => new RNN(10, 20, bidirectional: true);
        m["error_rnn_unbatched_h0_3d"] = () => new RNN(10, 20);
        m["error_rnn_1d_input"] = () => new RNN(10, 20);
        foreach (string name in new[] { "input_size", "h_batch", "h_size", "c_size", "3d" })
        {
            m[$"error_lstmcell_{name}"] = () => new LSTMCell(10, 20);
        }

        m["error_grucell_1d_h"] = () => new GRUCell(10, 20);
        m["error_rnncell_unbatched_2d_h"] = () => new RNNCell(10, 20);
        m["error_rnncell_input_size"] = () => new RNNCell(10, 20, nonlinearity: "relu");
        m["error_grucell_3d"] = () => new GRUCell(10, 20);
        return m;
    }
}
