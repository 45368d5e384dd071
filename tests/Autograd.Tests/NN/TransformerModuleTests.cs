using System.Text.Json;
using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Layers;

/// <summary>
/// MultiheadAttention and the transformer layers beyond the replayed cases: PyTorch's repr text, state-dict keys,
/// causal masks and error messages (the extra sections of <c>Fixtures/transformer_cases.json</c>), initialisation,
/// layer copies, dropout, and float64 finite-difference checks of first and second order.
/// </summary>
public class TransformerModuleTests
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "transformer_cases.json")));
        return document.RootElement.Clone();
    });

    private static Tensor Leaf(Tensor t)
    {
        Tensor leaf = t.Detach().Clone();
        leaf.RequiresGrad = true;
        return leaf;
    }

    private static string Error(string name) => s_root.Value.GetProperty("errors").GetProperty(name).GetString()!;

    [Fact]
    public void Repr_MatchesPyTorch()
    {
        JsonElement reprs = s_root.Value.GetProperty("reprs");
        new MultiheadAttention(8, 2).ToString().Should().Be(reprs.GetProperty("mha").GetString());
        new MultiheadAttention(8, 2, bias: false, kdim: 5, vdim: 6).ToString().Should().Be(reprs.GetProperty("mha_kdim").GetString());
        new TransformerEncoderLayer(8, 2, 16, 0.1).ToString().Should().Be(reprs.GetProperty("encoder_layer").GetString());
        new TransformerDecoderLayer(8, 2, 16, 0.0, layerNormEps: 1e-3).ToString().Should().Be(reprs.GetProperty("decoder_layer").GetString());
        new TransformerEncoder(new TransformerEncoderLayer(4, 2, 8), 2, new LayerNorm(4)).ToString().Should().Be(reprs.GetProperty("encoder").GetString());
    }

    [Fact]
    public void StateDictKeys_MatchPyTorch()
    {
        JsonElement keys = s_root.Value.GetProperty("state_keys");
        void Same(Module module, string name) =>
            module.StateDict().Keys.Should().Equal(keys.GetProperty(name).EnumerateArray().Select(e => e.GetString()!), name);
        Same(new MultiheadAttention(8, 2), "mha");
        Same(new MultiheadAttention(8, 2, kdim: 5, vdim: 6), "mha_kdim");
        Same(new MultiheadAttention(8, 2, bias: false), "mha_no_bias");
        Same(new TransformerEncoderLayer(8, 2, 16), "encoder_layer");
        Same(new TransformerDecoderLayer(8, 2, 16), "decoder_layer");
        Same(new TransformerEncoder(new TransformerEncoderLayer(4, 2, 8), 2, new LayerNorm(4)), "encoder");
        Same(new Transformer(4, 2, 1, 1, 8), "transformer");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void GenerateSquareSubsequentMask_MatchesPyTorch(int size)
    {
        Tensor mask = Transformer.GenerateSquareSubsequentMask(size);
        Reference.ReferenceFixture.ShouldMatch(mask, s_root.Value.GetProperty("square_subsequent_masks").GetProperty(size.ToString(System.Globalization.CultureInfo.InvariantCulture)), "mask");
        Transformer.GenerateSquareSubsequentMask(3, DType.Float64).DType.Should().Be(DType.Float64);
    }

    [Fact]
    public void Errors_CarryPyTorchMessages()
    {
        Tensor x3 = Tensor.Zeros(3, 2, 8), x2 = Tensor.Zeros(3, 8);
        static MultiheadAttention Mha() => new(8, 2);
        void Fails(Action call, string name) =>
            FluentActions.Invoking(call).Should().Throw<ArgumentException>().Which.Message.Should().StartWith(Error(name), name);

        Fails(() => _ = new MultiheadAttention(6, 4), "not_divisible");
        Fails(() => Mha().Forward(x3, x3, x3, attnMask: Tensor.Zeros([3, 4], DType.Bool)), "mask_2d_shape");
        Fails(() => Mha().Forward(x3, x3, x3, attnMask: Tensor.Zeros(2, 3, 3)), "mask_3d_shape");
        Fails(() => Mha().Forward(x3, x3, x3, attnMask: Tensor.Zeros(1, 4, 3, 3)), "mask_4d");
        Fails(() => Mha().Forward(x3, x3, x3, attnMask: Tensor.Zeros([3, 3], DType.Int64)), "mask_dtype");
        Fails(() => Mha().Forward(x3, x3, x3, Tensor.Zeros([2, 4], DType.Bool)), "kpm_shape");
        Fails(() => Mha().Forward(x3, x3, x3, Tensor.Zeros([2, 3, 1], DType.Bool)), "kpm_rank");
        Fails(() => Mha().Forward(x3, x3, x3, Tensor.Zeros([2, 3], DType.Int64)), "kpm_dtype");
        Tensor x4 = Tensor.Zeros(1, 3, 2, 8);
        Fails(() => Mha().Forward(x4, x4, x4), "query_rank");
        Fails(() => Mha().Forward(x3, x2, x3), "key_rank");
        Fails(() => Mha().Forward(x2, x3, x2), "unbatched_key_rank");
        Fails(() => Mha().Forward(x2, x2, x2, Tensor.Zeros([1, 3], DType.Bool)), "unbatched_kpm_rank");
        Fails(() => Mha().Forward(x2, x2, x2, attnMask: Tensor.Zeros([4, 3, 3], DType.Bool)), "unbatched_mask_3d_shape");
        Tensor e6 = Tensor.Zeros(3, 2, 6);
        Fails(() => Mha().Forward(e6, e6, e6), "embed_dim");
        Fails(() => Mha().Forward(x3, Tensor.Zeros(4, 2, 8), Tensor.Zeros(5, 2, 8)), "key_value_shape");
        Fails(() => new MultiheadAttention(8, 2, kdim: 5, vdim: 6).Forward(x3, Tensor.Zeros(4, 2, 5), Tensor.Zeros(5, 2, 6)), "separate_key_value_dims");
        Fails(() => new MultiheadAttention(8, 2, kdim: 5, vdim: 6).Forward(x3, Tensor.Zeros(4, 2, 6), Tensor.Zeros(4, 2, 6)), "separate_key_weight");
        Fails(() => _ = new TransformerEncoderLayer(8, 2, activation: "tanh"), "activation");
        Fails(() => new TransformerEncoderLayer(8, 2, 16).Forward(x3, null, Tensor.Zeros([2, 3], DType.Int64)), "encoder_kpm_dtype");
        Fails(() => new Transformer(8, 2, 1, 1, 16).Forward(Tensor.Zeros(3, 2, 8), Tensor.Zeros(3, 3, 8)), "transformer_batch");
        Fails(() => new Transformer(8, 2, 1, 1, 16).Forward(Tensor.Zeros(3, 2, 8), Tensor.Zeros(3, 2, 6)), "transformer_d_model");
    }

    /// <summary>
    /// PyTorch's initialisation: in_proj_weight [3E, E] Xavier uniform, bound √(6/(E + 3E)) (fan_in E, fan_out 3E), so
    /// for E = 64 every |w| ≤ √(6/256) ≈ 0.153 and the variance is bound²/3 = 1/128; out_proj.weight keeps Linear's
    /// U(±1/√E) = U(±0.125); both biases start at zero.
    /// </summary>
    [Fact]
    public void Initialisation_IsPyTorchs()
    {
        var mha = new MultiheadAttention(64, 4, generator: new Generator(1));
        Tensor w = mha.InProjWeight!;
        w.Shape.ToArray().Should().Equal(192, 64);
        double bound = Math.Sqrt(6.0 / 256);
        float[] values = w.ToArray();
        values.Should().OnlyContain(v => Math.Abs(v) <= bound);
        values.Max().Should().BeGreaterThan((float)(0.95 * bound), "uniform over the whole interval");
        double variance = values.Select(v => (double)v * v).Average();
        variance.Should().BeApproximately(1.0 / 128, 0.1 / 128, "12,288 draws: the sample variance is within 2% (1σ) of bound²/3");
        mha.InProjBias!.ToArray().Should().OnlyContain(v => v == 0f);
        mha.OutProj.Bias!.ToArray().Should().OnlyContain(v => v == 0f);
        mha.OutProj.Weight.ToArray().Should().OnlyContain(v => Math.Abs(v) <= 0.125f);
        mha.OutProj.Weight.ToArray().Should().Contain(v => v != 0f);

        var separate = new MultiheadAttention(8, 2, kdim: 5, vdim: 6, addBiasKv: true, generator: new Generator(2));
        separate.InProjWeight.Should().BeNull();
        separate.KProjWeight!.Shape.ToArray().Should().Equal(8, 5);
        separate.VProjWeight!.Shape.ToArray().Should().Equal(8, 6);
        separate.KProjWeight!.ToArray().Should().OnlyContain(v => Math.Abs(v) <= Math.Sqrt(6.0 / 13));
        separate.BiasK!.Shape.ToArray().Should().Equal(1, 1, 8);
        separate.BiasK!.ToArray().Should().Contain(v => v != 0f);
        separate.NamedParameters().Select(p => p.Name).Should().Equal(
            "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias");
    }

    [Fact]
    public void Initialisation_IsDeterministicForAGenerator()
    {
        var a = new TransformerEncoderLayer(8, 2, 16, generator: new Generator(7));
        var b = new TransformerEncoderLayer(8, 2, 16, generator: new Generator(7));
        a.StateDict().Values.Zip(b.StateDict().Values).Should().OnlyContain(p => p.First.Equal(p.Second));
    }

    [Fact]
    public void EncoderStack_CopiesTheLayer_IntoIndependentParameters()
    {
        var layer = new TransformerEncoderLayer(4, 2, 8, generator: new Generator(3));
        var encoder = new TransformerEncoder(layer, 3);
        encoder.Layers.Count.Should().Be(3);
        foreach (TransformerEncoderLayer copy in encoder.Layers)
        {
            copy.Should().NotBeSameAs(layer);
            copy.StateDict().Values.Zip(layer.StateDict().Values).Should().OnlyContain(p => p.First.Equal(p.Second), "deepcopy starts from the same values");
        }

        using (GradMode.NoGrad())
        {
            encoder.Layers[0].Linear1.Weight.Fill(5f);
        }

        encoder.Layers[1].Linear1.Weight.ToArray().Should().NotContain(5f, "each copy owns its parameters");
        layer.Linear1.Weight.ToArray().Should().NotContain(5f);
        encoder.Parameters().Count().Should().Be(3 * layer.Parameters().Count());
        new TransformerDecoder(new TransformerDecoderLayer(4, 2, 8), 2).Parameters().Count().Should().Be(2 * 18);
    }

    [Fact]
    public void Dropout_AppliesInTrainingOnly()
    {
        var mha = new MultiheadAttention(8, 2, dropout: 0.5, generator: new Generator(4));
        var plain = new MultiheadAttention(8, 2, generator: new Generator(4));
        Tensor x = Tensor.Rand([5, 2, 8], generator: new Generator(5));
        (Tensor trained, Tensor? trainedWeights) = mha.Forward(x, x, x);
        (Tensor reference, Tensor? referenceWeights) = plain.Forward(x, x, x);
        trained.Equal(reference).Should().BeFalse("dropout on the attention weights changes the output in training");
        trainedWeights!.ToArray().Should().Contain(0f, "half of the weights are dropped");
        mha.Eval();
        (Tensor evaluated, Tensor? evaluatedWeights) = mha.Forward(x, x, x);
        evaluated.Equal(reference).Should().BeTrue("evaluation mode skips dropout: the same function as dropout 0");
        evaluatedWeights!.Equal(referenceWeights!).Should().BeTrue();
    }

    [Fact]
    public void BatchFirst_IsTheTransposedComputation()
    {
        var first = new MultiheadAttention(8, 4, batchFirst: true, generator: new Generator(6));
        var second = new MultiheadAttention(8, 4, generator: new Generator(6));
        Tensor x = Tensor.Rand([2, 5, 8], generator: new Generator(8));
        Tensor m = Tensor.Rand([2, 3, 8], generator: new Generator(9));
        (Tensor a, Tensor? wa) = first.Forward(x, m, m);
        (Tensor b, Tensor? wb) = second.Forward(x.Transpose(0, 1), m.Transpose(0, 1), m.Transpose(0, 1));
        a.Shape.ToArray().Should().Equal(2, 5, 8);
        a.AllClose(b.Transpose(0, 1), 1e-6f, 1e-6f).Should().BeTrue();
        wa!.AllClose(wb!, 1e-6f, 1e-6f).Should().BeTrue();
        wa!.Sum(-1).AllClose(Tensor.Ones(2, 5), 1e-6f, 1e-6f).Should().BeTrue("each query's averaged weights are a distribution over the keys");
    }

    /// <summary>
    /// Finite differences in float64 through the whole attention (projections, masks with −∞, softmax, heads,
    /// output projection): first order with respect to query, key, value and every parameter, and second order.
    /// </summary>
    [Fact]
    public void GradCheck_Float64_TinyMultiheadAttention()
    {
        var mha = new MultiheadAttention(4, 2, addBiasKv: true, kdim: 3, vdim: 2, generator: new Generator(10));
        mha.To(DType.Float64);
        var g = new Generator(11);
        Tensor R(params int[] shape) => Leaf(Tensor.Rand(shape, DType.Float64, generator: g) - 0.5);
        Tensor q = R(3, 2, 4), k = R(2, 2, 3), v = R(2, 2, 2);
        Tensor mask = Tensor.From([false, true, false, false, false, false], [3, 2]);
        Tensor padding = Tensor.From([false, false, false, true], [2, 2]);
        Tensor upOut = R(3, 2, 4).Detach(), upW = R(2, 3, 3).Detach();
        string[] names = [.. mha.NamedParameters().Select(p => p.Name)];
        Tensor[] parameters = [.. mha.NamedParameters().Select(p => Leaf(p.Parameter))];

        Tensor F(Tensor[] t)
        {
            var m = new MultiheadAttention(4, 2, addBiasKv: true, kdim: 3, vdim: 2);
            m.To(DType.Float64);
            foreach ((string name, int i) in names.Select((n, i) => (n, i)))
            {
                Module owner = name.StartsWith("out_proj.", StringComparison.Ordinal) ? m.OutProj : m;
                owner.RegisterParameter(name.Split('.')[^1], t[3 + i]);
            }

            (Tensor output, Tensor? weights) = m.Forward(t[0], t[1], t[2], padding, attnMask: mask);
            return (output * upOut).Sum() + (weights! * upW).Sum();
        }

        Tensor[] inputs = [q, k, v, .. parameters];
        GradCheck.Assert(F, inputs);
        GradCheck.AssertGradGrad(F, inputs);
    }

    [Fact]
    public void GradCheck_Float64_EncoderLayerInputs()
    {
        var layer = new TransformerEncoderLayer(4, 2, 6, 0, "gelu", normFirst: true, generator: new Generator(12));
        layer.To(DType.Float64);
        Tensor x = Leaf(Tensor.Rand([3, 2, 4], DType.Float64, generator: new Generator(13)) - 0.5);
        Tensor up = Tensor.Rand([3, 2, 4], DType.Float64, generator: new Generator(14));
        Tensor causal = Transformer.GenerateSquareSubsequentMask(3, DType.Float64);
        GradCheck.Assert(t => (layer.Forward(t[0], causal) * up).Sum(), [x]);
    }

    [Fact]
    public void Modules_ComposeInSequential()
    {
        var model = new Sequential(new Linear(3, 8), new TransformerEncoder(new TransformerEncoderLayer(8, 2, 16, 0), 2), new Linear(8, 1));
        Tensor x = Tensor.Rand([4, 2, 3], generator: new Generator(15));
        Tensor y = model.Forward(x);
        y.Shape.ToArray().Should().Equal(4, 2, 1);
        y.Sum().Backward();
        model.Parameters().Should().OnlyContain(p => p.Grad != null && p.Grad.Abs().Sum().Item<float>() > 0, "every parameter takes part in the output");
    }
}
