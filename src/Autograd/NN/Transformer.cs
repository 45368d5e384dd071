namespace Autograd.NN;

/// <summary>
/// One transformer encoder block (PyTorch 1.13's <c>nn.TransformerEncoderLayer</c>): self-attention then a two-layer
/// feed-forward network, each with a residual connection and LayerNorm. Post-norm (the default):
/// <c>x = norm1(x + SA(x))</c>, <c>x = norm2(x + FF(x))</c>; pre-norm (<c>normFirst</c>):
/// <c>x = x + SA(norm1(x))</c>, <c>x = x + FF(norm2(x))</c>, with <c>SA(x) = dropout1(self_attn(x, x, x))</c> and
/// <c>FF(x) = dropout2(linear2(dropout(act(linear1(x)))))</c>.
/// </summary>
/// <remarks>
/// Children, in PyTorch's order and with its names (so state dicts interchange): <c>self_attn</c>, <c>linear1</c>,
/// <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>, <c>dropout1</c>, <c>dropout2</c>. PyTorch's inference
/// fast path (<c>_transformer_encoder_layer_fwd</c>) computes the same function; this class always composes the ops.
/// </remarks>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's initialisation (self_attn, linear1, linear2 drawn in that order).</summary>
    /// <param name="dModel">Model size E.</param>
    /// <param name="nhead">Number of attention heads (must divide <paramref name="dModel"/>).</param>
    /// <param name="dimFeedforward">Hidden size of the feed-forward network.</param>
    /// <param name="dropout">Dropout probability of every dropout (attention weights included).</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The LayerNorms' ε.</param>
    /// <param name="batchFirst">Whether inputs are [N, L, E] instead of [L, N, E].</param>
    /// <param name="normFirst">Pre-norm instead of post-norm.</param>
    /// <param name="generator">Source of the initial weights (the default generator when null).</param>
    /// <exception cref="ArgumentException">The activation is neither relu nor gelu, or dModel is not divisible by nhead.</exception>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, Generator? generator = null)
    {
        Activation = TransformerParts.CheckActivation(activation);
        DModel = dModel;
        DimFeedforward = dimFeedforward;
        DropoutP = dropout;
        LayerNormEps = layerNormEps;
        NormFirst = normFirst;
        RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, generator: generator));
        RegisterModule("linear1", new Linear(dModel, dimFeedforward, generator: generator));
        RegisterModule("dropout", new Dropout(dropout));
        RegisterModule("linear2", new Linear(dimFeedforward, dModel, generator: generator));
        RegisterModule("norm1", new LayerNorm(dModel, layerNormEps));
        RegisterModule("norm2", new LayerNorm(dModel, layerNormEps));
        RegisterModule("dropout1", new Dropout(dropout));
        RegisterModule("dropout2", new Dropout(dropout));
    }

    /// <summary>Model size E.</summary>
    public int DModel { get; }

    /// <summary>Hidden size of the feed-forward network.</summary>
    public int DimFeedforward { get; }

    /// <summary>Dropout probability.</summary>
    public double DropoutP { get; }

    /// <summary>The activation of the feed-forward network, "relu" or "gelu".</summary>
    public string Activation { get; }

    /// <summary>The LayerNorms' ε.</summary>
    public double LayerNormEps { get; }

    /// <summary>Whether the block is pre-norm.</summary>
    public bool NormFirst { get; }

    /// <summary>Whether inputs are [N, L, E].</summary>
    public bool BatchFirst => SelfAttn.BatchFirst;

    /// <summary>The self-attention.</summary>
    public MultiheadAttention SelfAttn => (MultiheadAttention)GetModule("self_attn")!;

    /// <summary>The first feed-forward layer, E → dimFeedforward.</summary>
    public Linear Linear1 => (Linear)GetModule("linear1")!;

    /// <summary>The second feed-forward layer, dimFeedforward → E.</summary>
    public Linear Linear2 => (Linear)GetModule("linear2")!;

    /// <summary>The LayerNorm of the attention sub-block.</summary>
    public LayerNorm Norm1 => (LayerNorm)GetModule("norm1")!;

    /// <summary>The LayerNorm of the feed-forward sub-block.</summary>
    public LayerNorm Norm2 => (LayerNorm)GetModule("norm2")!;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>The block on <paramref name="src"/> (PyTorch's <c>forward(src, src_mask, src_key_padding_mask)</c>).</summary>
    /// <param name="src">[L, N, E], [N, L, E] with batchFirst, or unbatched [L, E].</param>
    /// <param name="srcMask">The self-attention's mask, [L, L] or [N·h, L, L] (see <see cref="MultiheadAttention.Forward"/>).</param>
    /// <param name="srcKeyPaddingMask">[N, L] (or [L]): the positions to ignore as keys.</param>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(src);
        MultiheadAttention.CheckKeyPaddingMaskDType(srcKeyPaddingMask);
        Tensor x = src;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(Norm1.Forward(x), srcMask, srcKeyPaddingMask);
            x = x + FeedForwardBlock(Norm2.Forward(x));
        }
        else
        {
            x = Norm1.Forward(x + SelfAttentionBlock(x, srcMask, srcKeyPaddingMask));
            x = Norm2.Forward(x + FeedForwardBlock(x));
        }

        return x;
    }

    /// <summary>A new layer with the same settings, copies of this one's parameters and its training flag (PyTorch's <c>copy.deepcopy</c>).</summary>
    internal TransformerEncoderLayer Copy()
    {
        var copy = new TransformerEncoderLayer(DModel, SelfAttn.NumHeads, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst,
            new Generator(0));
        TransformerParts.CopyState(this, copy);
        return copy;
    }

    private Tensor SelfAttentionBlock(Tensor x, Tensor? attnMask, Tensor? keyPaddingMask) =>
        GetModule<Dropout>("dropout1").Forward(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: attnMask).Output);

    private Tensor FeedForwardBlock(Tensor x)
    {
        Tensor h = TransformerParts.Activate(Activation, Linear1.Forward(x));
        return GetModule<Dropout>("dropout2").Forward(Linear2.Forward(GetModule<Dropout>("dropout").Forward(h)));
    }

    private T GetModule<T>(string name)
        where T : Module => (T)GetModule(name)!;
}

/// <summary>
/// One transformer decoder block (PyTorch 1.13's <c>nn.TransformerDecoderLayer</c>): self-attention over the target,
/// cross-attention from the target to the encoder's output (memory), and a feed-forward network, each with a residual
/// connection and LayerNorm. Post-norm: <c>x = norm1(x + SA(x))</c>, <c>x = norm2(x + MHA(x, mem))</c>,
/// <c>x = norm3(x + FF(x))</c>; pre-norm: <c>x = x + SA(norm1(x))</c>, <c>x = x + MHA(norm2(x), mem)</c>,
/// <c>x = x + FF(norm3(x))</c>.
/// </summary>
/// <remarks>
/// Children, in PyTorch's order and with its names: <c>self_attn</c>, <c>multihead_attn</c>, <c>linear1</c>,
/// <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>, <c>norm3</c>, <c>dropout1</c>, <c>dropout2</c>,
/// <c>dropout3</c>.
/// </remarks>
public sealed class TransformerDecoderLayer : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's initialisation (self_attn, multihead_attn, linear1, linear2 drawn in that order).</summary>
    /// <param name="dModel">Model size E.</param>
    /// <param name="nhead">Number of attention heads (must divide <paramref name="dModel"/>).</param>
    /// <param name="dimFeedforward">Hidden size of the feed-forward network.</param>
    /// <param name="dropout">Dropout probability of every dropout (attention weights included).</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The LayerNorms' ε.</param>
    /// <param name="batchFirst">Whether inputs are [N, T, E] instead of [T, N, E].</param>
    /// <param name="normFirst">Pre-norm instead of post-norm.</param>
    /// <param name="generator">Source of the initial weights (the default generator when null).</param>
    /// <exception cref="ArgumentException">The activation is neither relu nor gelu, or dModel is not divisible by nhead.</exception>
    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, Generator? generator = null)
    {
        Activation = TransformerParts.CheckActivation(activation);
        DModel = dModel;
        DimFeedforward = dimFeedforward;
        DropoutP = dropout;
        LayerNormEps = layerNormEps;
        NormFirst = normFirst;
        RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, generator: generator));
        RegisterModule("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, generator: generator));
        RegisterModule("linear1", new Linear(dModel, dimFeedforward, generator: generator));
        RegisterModule("dropout", new Dropout(dropout));
        RegisterModule("linear2", new Linear(dimFeedforward, dModel, generator: generator));
        RegisterModule("norm1", new LayerNorm(dModel, layerNormEps));
        RegisterModule("norm2", new LayerNorm(dModel, layerNormEps));
        RegisterModule("norm3", new LayerNorm(dModel, layerNormEps));
        RegisterModule("dropout1", new Dropout(dropout));
        RegisterModule("dropout2", new Dropout(dropout));
        RegisterModule("dropout3", new Dropout(dropout));
    }

    /// <summary>Model size E.</summary>
    public int DModel { get; }

    /// <summary>Hidden size of the feed-forward network.</summary>
    public int DimFeedforward { get; }

    /// <summary>Dropout probability.</summary>
    public double DropoutP { get; }

    /// <summary>The activation of the feed-forward network, "relu" or "gelu".</summary>
    public string Activation { get; }

    /// <summary>The LayerNorms' ε.</summary>
    public double LayerNormEps { get; }

    /// <summary>Whether the block is pre-norm.</summary>
    public bool NormFirst { get; }

    /// <summary>Whether inputs are [N, T, E].</summary>
    public bool BatchFirst => SelfAttn.BatchFirst;

    /// <summary>The self-attention over the target.</summary>
    public MultiheadAttention SelfAttn => (MultiheadAttention)GetModule("self_attn")!;

    /// <summary>The cross-attention from the target to the memory.</summary>
    public MultiheadAttention MultiheadAttn => (MultiheadAttention)GetModule("multihead_attn")!;

    /// <summary>The first feed-forward layer, E → dimFeedforward.</summary>
    public Linear Linear1 => (Linear)GetModule("linear1")!;

    /// <summary>The second feed-forward layer, dimFeedforward → E.</summary>
    public Linear Linear2 => (Linear)GetModule("linear2")!;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2) => Forward(input1, input2, null);

    /// <summary>
    /// The block on the target <paramref name="tgt"/> attending to <paramref name="memory"/> (PyTorch's
    /// <c>forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)</c>).
    /// </summary>
    /// <param name="tgt">[T, N, E], [N, T, E] with batchFirst, or unbatched [T, E].</param>
    /// <param name="memory">[S, N, E] (as tgt's layout).</param>
    /// <param name="tgtMask">The self-attention's mask, [T, T] or [N·h, T, T].</param>
    /// <param name="memoryMask">The cross-attention's mask, [T, S] or [N·h, T, S].</param>
    /// <param name="tgtKeyPaddingMask">[N, T]: target positions to ignore as keys.</param>
    /// <param name="memoryKeyPaddingMask">[N, S]: memory positions to ignore.</param>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        ArgumentNullException.ThrowIfNull(memory);
        LayerNorm norm1 = Norm(1), norm2 = Norm(2), norm3 = Norm(3);
        Tensor x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(norm1.Forward(x), tgtMask, tgtKeyPaddingMask);
            x = x + CrossAttentionBlock(norm2.Forward(x), memory, memoryMask, memoryKeyPaddingMask);
            x = x + FeedForwardBlock(norm3.Forward(x));
        }
        else
        {
            x = norm1.Forward(x + SelfAttentionBlock(x, tgtMask, tgtKeyPaddingMask));
            x = norm2.Forward(x + CrossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask));
            x = norm3.Forward(x + FeedForwardBlock(x));
        }

        return x;
    }

    /// <summary>A new layer with the same settings, copies of this one's parameters and its training flag (PyTorch's <c>copy.deepcopy</c>).</summary>
    internal TransformerDecoderLayer Copy()
    {
        var copy = new TransformerDecoderLayer(DModel, SelfAttn.NumHeads, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst,
            new Generator(0));
        TransformerParts.CopyState(this, copy);
        return copy;
    }

    private LayerNorm Norm(int i) => (LayerNorm)GetModule("norm" + i)!;

    private Tensor DropoutOf(string name, Tensor x) => ((Dropout)GetModule(name)!).Forward(x);

    private Tensor SelfAttentionBlock(Tensor x, Tensor? attnMask, Tensor? keyPaddingMask) =>
        DropoutOf("dropout1", SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: attnMask).Output);

    private Tensor CrossAttentionBlock(Tensor x, Tensor memory, Tensor? attnMask, Tensor? keyPaddingMask) =>
        DropoutOf("dropout2", MultiheadAttn.Forward(x, memory, memory, keyPaddingMask, needWeights: false, attnMask: attnMask).Output);

    private Tensor FeedForwardBlock(Tensor x)
    {
        Tensor h = TransformerParts.Activate(Activation, Linear1.Forward(x));
        return DropoutOf("dropout3", Linear2.Forward(DropoutOf("dropout", h)));
    }
}

/// <summary>
/// A stack of <c>numLayers</c> copies of an encoder layer and an optional final norm (PyTorch 1.13's
/// <c>nn.TransformerEncoder</c>): children <c>layers</c> (a <see cref="ModuleList{T}"/>: <c>layers.0.…</c>) and
/// <c>norm</c>. Each copy starts with the given layer's parameters, as PyTorch's <c>copy.deepcopy</c> clones.
/// </summary>
public sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    /// <summary>Creates the stack of copies of <paramref name="encoderLayer"/> (which itself is not registered).</summary>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module<Tensor, Tensor>? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        ArgumentOutOfRangeException.ThrowIfNegative(numLayers);
        NumLayers = numLayers;
        RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, numLayers).Select(_ => encoderLayer.Copy())));
        if (norm is not null)
        {
            RegisterModule("norm", norm);
        }
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers { get; }

    /// <summary>The layers.</summary>
    public ModuleList<TransformerEncoderLayer> Layers => (ModuleList<TransformerEncoderLayer>)GetModule("layers")!;

    /// <summary>The final norm, or null.</summary>
    public Module<Tensor, Tensor>? Norm => (Module<Tensor, Tensor>?)GetModule("norm");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Every layer in turn with the same masks, then the norm (PyTorch's <c>forward(src, mask, src_key_padding_mask)</c>).</summary>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(src);
        MultiheadAttention.CheckKeyPaddingMaskDType(srcKeyPaddingMask);
        Tensor output = src;
        foreach (TransformerEncoderLayer layer in Layers)
        {
            output = layer.Forward(output, mask, srcKeyPaddingMask);
        }

        return Norm is { } norm ? norm.Forward(output) : output;
    }
}

/// <summary>
/// A stack of <c>numLayers</c> copies of a decoder layer and an optional final norm (PyTorch 1.13's
/// <c>nn.TransformerDecoder</c>): children <c>layers</c> and <c>norm</c>.
/// </summary>
public sealed class TransformerDecoder : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the stack of copies of <paramref name="decoderLayer"/> (which itself is not registered).</summary>
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module<Tensor, Tensor>? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        ArgumentOutOfRangeException.ThrowIfNegative(numLayers);
        NumLayers = numLayers;
        RegisterModule("layers", new ModuleList<TransformerDecoderLayer>(Enumerable.Range(0, numLayers).Select(_ => decoderLayer.Copy())));
        if (norm is not null)
        {
            RegisterModule("norm", norm);
        }
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers { get; }

    /// <summary>The layers.</summary>
    public ModuleList<TransformerDecoderLayer> Layers => (ModuleList<TransformerDecoderLayer>)GetModule("layers")!;

    /// <summary>The final norm, or null.</summary>
    public Module<Tensor, Tensor>? Norm => (Module<Tensor, Tensor>?)GetModule("norm");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2) => Forward(input1, input2, null);

    /// <summary>Every layer in turn with the same memory and masks, then the norm (PyTorch's <c>forward</c>).</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        Tensor output = tgt;
        foreach (TransformerDecoderLayer layer in Layers)
        {
            output = layer.Forward(output, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }

        return Norm is { } norm ? norm.Forward(output) : output;
    }
}

/// <summary>
/// The encoder-decoder transformer of "Attention Is All You Need" (PyTorch 1.13's <c>nn.Transformer</c>): an
/// <see cref="TransformerEncoder"/> of <c>numEncoderLayers</c> layers with a final LayerNorm (child <c>encoder</c>) and a
/// <see cref="TransformerDecoder"/> with a final LayerNorm (child <c>decoder</c>); after construction every parameter
/// of rank &gt; 1 is drawn again Xavier-uniform, as PyTorch's <c>_reset_parameters</c>.
/// </summary>
public sealed class Transformer : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the model with PyTorch's defaults.</summary>
    public Transformer(int dModel = 512, int nhead = 8, int numEncoderLayers = 6, int numDecoderLayers = 6, int dimFeedforward = 2048,
        double dropout = 0.1, string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
        Generator? generator = null)
    {
        var encoderLayer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, generator);
        RegisterModule("encoder", new TransformerEncoder(encoderLayer, numEncoderLayers, new LayerNorm(dModel, layerNormEps)));
        var decoderLayer = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, generator);
        RegisterModule("decoder", new TransformerDecoder(decoderLayer, numDecoderLayers, new LayerNorm(dModel, layerNormEps)));
        foreach (Tensor p in Parameters())
        {
            if (p.Rank > 1)
            {
                Init.XavierUniform_(p, generator: generator);
            }
        }

        DModel = dModel;
        NHead = nhead;
        BatchFirst = batchFirst;
    }

    /// <summary>Model size E.</summary>
    public int DModel { get; }

    /// <summary>Number of attention heads.</summary>
    public int NHead { get; }

    /// <summary>Whether inputs are [N, L, E].</summary>
    public bool BatchFirst { get; }

    /// <summary>The encoder.</summary>
    public TransformerEncoder Encoder => (TransformerEncoder)GetModule("encoder")!;

    /// <summary>The decoder.</summary>
    public TransformerDecoder Decoder => (TransformerDecoder)GetModule("decoder")!;

    /// <summary>
    /// The causal mask of a sequence of <paramref name="size"/> (PyTorch's <c>generate_square_subsequent_mask</c>):
    /// [size, size], 0 on and below the diagonal and −∞ above it, so position i attends positions ≤ i.
    /// </summary>
    public static Tensor GenerateSquareSubsequentMask(int size, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Tensor.Full([size, size], double.NegativeInfinity, dtype).Triu(1);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2) => Forward(input1, input2, null);

    /// <summary>
    /// <c>decoder(tgt, encoder(src))</c> with the masks passed through (PyTorch's <c>forward(src, tgt, src_mask,
    /// tgt_mask, memory_mask, src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">src and tgt differ in batch size, or their feature size is not d_model.</exception>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(tgt);
        bool batched = src.Rank == 3;
        int batchDim = BatchFirst ? 0 : 1;
        if (batched && (tgt.Rank <= batchDim || src.Shape[batchDim] != tgt.Shape[batchDim]))
        {
            throw new ArgumentException("the batch number of src and tgt must be equal", nameof(tgt));
        }

        if (src.Rank == 0 || tgt.Rank == 0 || src.Shape[-1] != DModel || tgt.Shape[-1] != DModel)
        {
            throw new ArgumentException("the feature number of src and tgt must be equal to d_model", nameof(tgt));
        }

        Tensor memory = Encoder.Forward(src, srcMask, srcKeyPaddingMask);
        return Decoder.Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }
}

/// <summary>What the transformer layers share: the activation by name and the deep copy of a layer.</summary>
internal static class TransformerParts
{
    /// <summary>PyTorch's <c>_get_activation_fn</c>: only "relu" and "gelu".</summary>
    internal static string CheckActivation(string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation is "relu" or "gelu" ? activation : throw new ArgumentException($"activation should be relu/gelu, not {activation}", nameof(activation));
    }

    internal static Tensor Activate(string activation, Tensor x) => activation == "relu" ? Functional.Relu(x) : Functional.Gelu(x);

    /// <summary>Copies <paramref name="source"/>'s parameters (values and requires-grad) and training flag into <paramref name="target"/>.</summary>
    internal static void CopyState(Module source, Module target)
    {
        target.To(source.Parameters().Select(p => p.DType).FirstOrDefault(DType.Float32));
        target.LoadStateDict(source.StateDict());
        foreach (((string _, Tensor from), (string _, Tensor to)) in source.NamedParameters().Zip(target.NamedParameters()))
        {
            to.RequiresGrad = from.RequiresGrad;
        }

        target.Train(source.Training);
    }
}
