using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Layers;

/// <summary>
/// MultiheadAttention and the transformer layers against <c>Fixtures/transformer_cases.json</c>
/// (tools/reference/transformer_cases.py, PyTorch 1.13 in training mode with dropout 0): each case loads torch's state
/// dict into the C# module, runs the same forward (the same tensor passed where torch passed one tensor as query, key
/// and value) and backpropagates the same scalar loss Σ out·u₁ + Σ weights·u₂; the output, the attention weights and
/// the gradients of every input and every parameter (by state-dict key) must match.
/// </summary>
public class TransformerReferenceTests
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "transformer_cases.json")));
        return document.RootElement.Clone();
    });

    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() =>
        s_root.Value.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c));

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name)
    {
        JsonElement c = s_cases.Value[name];
        JsonElement config = c.GetProperty("config");
        string kind = c.GetProperty("module").GetString()!;
        var state = c.GetProperty("state").EnumerateArray()
            .Select(e => new KeyValuePair<string, Tensor>(e.GetProperty("key").GetString()!, ReferenceFixture.ToTensor(e.GetProperty("tensor"))))
            .ToList();
        DType dtype = state[0].Value.DType;
        Module module = Build(kind, config);
        module.To(dtype);
        (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) = module.LoadStateDict(state);
        missing.Should().BeEmpty();
        unexpected.Should().BeEmpty();
        module.StateDict().Keys.Should().Equal(state.Select(kv => kv.Key), "the state-dict keys and their order are PyTorch's");

        var inputs = new Dictionary<string, Tensor>();
        foreach (JsonProperty p in c.GetProperty("inputs").EnumerateObject())
        {
            Tensor t = ReferenceFixture.ToTensor(p.Value);
            t.RequiresGrad = true;
            inputs[p.Name] = t;
        }

        foreach (JsonProperty p in c.GetProperty("same").EnumerateObject())
        {
            inputs[p.Name] = inputs[p.Value.GetString()!];
        }

        var masks = c.GetProperty("masks").EnumerateObject().ToDictionary(p => p.Name, p => ReferenceFixture.ToTensor(p.Value));
        Tensor? Mask(string key) => masks.GetValueOrDefault(key);
        JsonElement kwargs = c.GetProperty("kwargs");

        (Tensor output, Tensor? weights) = kind switch
        {
            "mha" => ((MultiheadAttention)module).Forward(inputs["query"], inputs["key"], inputs["value"], Mask("key_padding_mask"),
                kwargs.GetProperty("need_weights").GetBoolean(), Mask("attn_mask"), kwargs.GetProperty("average_attn_weights").GetBoolean()),
            "encoder_layer" => (((TransformerEncoderLayer)module).Forward(inputs["src"], Mask("src_mask"), Mask("src_key_padding_mask")), null),
            "encoder" => (((TransformerEncoder)module).Forward(inputs["src"], Mask("src_mask"), Mask("src_key_padding_mask")), null),
            "decoder_layer" => (((TransformerDecoderLayer)module).Forward(inputs["tgt"], inputs["memory"], Mask("tgt_mask"), Mask("memory_mask"),
                Mask("tgt_key_padding_mask"), Mask("memory_key_padding_mask")), null),
            "decoder" => (((TransformerDecoder)module).Forward(inputs["tgt"], inputs["memory"], Mask("tgt_mask"), Mask("memory_mask"),
                Mask("tgt_key_padding_mask"), Mask("memory_key_padding_mask")), null),
            "transformer" => (((Transformer)module).Forward(inputs["src"], inputs["tgt"], Mask("src_mask"), Mask("tgt_mask"), Mask("memory_mask"),
                Mask("src_key_padding_mask"), Mask("tgt_key_padding_mask"), Mask("memory_key_padding_mask")), null),
            _ => throw new InvalidOperationException(kind),
        };

        ReferenceFixture.ShouldMatch(output, c.GetProperty("output"), $"{name}: output");
        Tensor loss = (output * ReferenceFixture.ToTensor(c.GetProperty("up_out"))).Sum();
        if (c.GetProperty("weights").ValueKind == JsonValueKind.Null)
        {
            weights.Should().BeNull();
        }
        else
        {
            weights.Should().NotBeNull();
            ReferenceFixture.ShouldMatch(weights!, c.GetProperty("weights"), $"{name}: attention weights");
            loss = loss + (weights! * ReferenceFixture.ToTensor(c.GetProperty("up_w"))).Sum();
        }

        loss.Backward();
        foreach (JsonProperty p in c.GetProperty("input_grads").EnumerateObject())
        {
            ReferenceFixture.ShouldMatch(inputs[p.Name].Grad!, p.Value, $"{name}: gradient of {p.Name}");
        }

        var parameters = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        JsonElement[] paramGrads = [.. c.GetProperty("param_grads").EnumerateArray()];
        parameters.Keys.Should().BeEquivalentTo(paramGrads.Select(e => e.GetProperty("key").GetString()));
        foreach (JsonElement e in paramGrads)
        {
            string key = e.GetProperty("key").GetString()!;
            ReferenceFixture.ShouldMatch(parameters[key].Grad!, e.GetProperty("tensor"), $"{name}: gradient of {key}");
        }
    }

    private static Module Build(string kind, JsonElement config)
    {
        int? OptionalInt(string key) => config.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        int Int(string key) => config.GetProperty(key).GetInt32();
        bool Bool(string key) => config.GetProperty(key).GetBoolean();
        if (kind == "mha")
        {
            return new MultiheadAttention(Int("embed_dim"), Int("num_heads"), 0, Bool("bias"), Bool("add_bias_kv"), Bool("add_zero_attn"),
                OptionalInt("kdim"), OptionalInt("vdim"), Bool("batch_first"));
        }

        int d = Int("d_model"), h = Int("nhead"), ff = Int("dim_feedforward");
        string activation = config.GetProperty("activation").GetString()!;
        double eps = config.GetProperty("layer_norm_eps").GetDouble();
        bool batchFirst = Bool("batch_first"), normFirst = Bool("norm_first");
        return kind switch
        {
            "encoder_layer" => new TransformerEncoderLayer(d, h, ff, 0, activation, eps, batchFirst, normFirst),
            "decoder_layer" => new TransformerDecoderLayer(d, h, ff, 0, activation, eps, batchFirst, normFirst),
            "encoder" => new TransformerEncoder(new TransformerEncoderLayer(d, h, ff, 0, activation, eps, batchFirst, normFirst), Int("num_layers"),
                Bool("final_norm") ? new LayerNorm(d, eps) : null),
            "decoder" => new TransformerDecoder(new TransformerDecoderLayer(d, h, ff, 0, activation, eps, batchFirst, normFirst), Int("num_layers"),
                new LayerNorm(d, eps)),
            "transformer" => new Transformer(d, h, Int("num_encoder_layers"), Int("num_decoder_layers"), ff, 0, activation, eps, batchFirst, normFirst),
            _ => throw new InvalidOperationException(kind),
        };
    }
}
