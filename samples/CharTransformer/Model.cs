using Autograd;
using Autograd.NN;

namespace CharTransformer;

/// <summary>Sizes of the model (nanoGPT's names).</summary>
/// <param name="VocabSize">Distinct characters.</param>
/// <param name="BlockSize">Context length: the most characters the model looks back at.</param>
/// <param name="Embedding">Width of the residual stream.</param>
/// <param name="Heads">Attention heads per block (they split <paramref name="Embedding"/>).</param>
/// <param name="Layers">Transformer blocks.</param>
public sealed record GptConfig(int VocabSize, int BlockSize = 64, int Embedding = 96, int Heads = 4, int Layers = 3);

/// <summary>
/// Multi-head causal self-attention: one linear map to queries, keys and values, scaled dot-product attention in which
/// position t sees positions ≤ t only, and an output projection.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly int _heads;

    /// <summary>Creates the layer.</summary>
    public CausalSelfAttention(GptConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        RegisterModule("c_attn", new Linear(config.Embedding, 3 * config.Embedding, generator: generator));
        RegisterModule("c_proj", new Linear(config.Embedding, config.Embedding, generator: generator));
    }

    /// <summary>x [B, T, C] → [B, T, C].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int b = input.Shape[0], t = input.Shape[1], c = input.Shape[2];
        Tensor[] qkv = ((Linear)GetModule("c_attn")!).Forward(input).Split(c, dim: 2);
        // [B, T, C] → [B, heads, T, C / heads]
        Tensor Heads(Tensor x) => x.View(b, t, _heads, c / _heads).Transpose(1, 2);
        Tensor y = Functional.ScaledDotProductAttention(Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]), isCausal: true);
        y = y.Transpose(1, 2).Contiguous().View(b, t, c);
        return ((Linear)GetModule("c_proj")!).Forward(y);
    }
}

/// <summary>A pre-norm transformer block: x + attn(ln₁(x)), then x + mlp(ln₂(x)) with a GELU MLP four times as wide.</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    /// <summary>Creates the block.</summary>
    public Block(GptConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(config);
        RegisterModule("ln_1", new LayerNorm(config.Embedding));
        RegisterModule("attn", new CausalSelfAttention(config, generator));
        RegisterModule("ln_2", new LayerNorm(config.Embedding));
        RegisterModule("mlp", new Sequential(
            new Linear(config.Embedding, 4 * config.Embedding, generator: generator),
            new GELU(),
            new Linear(4 * config.Embedding, config.Embedding, generator: generator)));
    }

    /// <summary>x [B, T, C] → [B, T, C].</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input + Sub("attn").Forward(Sub("ln_1").Forward(input));
        return x + Sub("mlp").Forward(Sub("ln_2").Forward(x));
    }

    private Module<Tensor, Tensor> Sub(string name) => (Module<Tensor, Tensor>)GetModule(name)!;
}

/// <summary>A character-level GPT: token and position embeddings, blocks, a final LayerNorm and a linear head.</summary>
public sealed class Gpt : Module<Tensor, Tensor>
{
    /// <summary>Creates the model with nanoGPT's initialisation of the linear layers and embeddings (N(0, 0.02)).</summary>
    public Gpt(GptConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        RegisterModule("wte", new Embedding(config.VocabSize, config.Embedding, generator: generator));
        RegisterModule("wpe", new Embedding(config.BlockSize, config.Embedding, generator: generator));
        RegisterModule("h", new ModuleList([.. Enumerable.Range(0, config.Layers).Select(_ => (Module)new Block(config, generator))]));
        RegisterModule("ln_f", new LayerNorm(config.Embedding));
        RegisterModule("lm_head", new Linear(config.Embedding, config.VocabSize, bias: false, generator: generator));
        foreach ((string name, Tensor p) in NamedParameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && p.Rank == 2)
            {
                Init.Normal_(p, 0, 0.02, generator);
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal) && !name.Contains("ln", StringComparison.Ordinal))
            {
                Init.Zeros_(p);
            }
        }
    }

    /// <summary>The sizes.</summary>
    public GptConfig Config { get; }

    /// <summary>Token indices [B, T] (int64, T ≤ block size) → logits [B, T, vocabulary].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int t = input.Shape[1];
        if (t > Config.BlockSize)
        {
            throw new ArgumentException($"Cannot forward sequence of length {t}, block size is only {Config.BlockSize}", nameof(input));
        }

        Tensor positions = Tensor.Arange(0, t, 1, DType.Int64);
        Tensor x = ((Embedding)GetModule("wte")!).Forward(input) + ((Embedding)GetModule("wpe")!).Forward(positions);
        foreach (Module block in (ModuleList)GetModule("h")!)
        {
            x = ((Block)block).Forward(x);
        }

        x = ((LayerNorm)GetModule("ln_f")!).Forward(x);
        return ((Linear)GetModule("lm_head")!).Forward(x);
    }
}
