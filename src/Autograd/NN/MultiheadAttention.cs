namespace Autograd.NN;

/// <summary>
/// Multi-head attention (PyTorch 1.13's <c>nn.MultiheadAttention</c>), composed of Linear, Baddbmm/Bmm and Softmax so
/// that autograd (and higher orders) come from those ops:
/// <c>headᵢ = softmax(QWᵢᵠ·(KWᵢᴷ)ᵀ/√d + M)·VWᵢⱽ</c>, <c>out = concat(head₁ … head_h)·Wᴼᵀ + bᴼ</c>, with d = E/h the
/// head size and M the additive mask (−∞ where a bool mask forbids attention).
/// </summary>
/// <remarks>
/// <para>Parameters, with PyTorch's names: <c>in_proj_weight</c> [3E, E] (Q, K and V projections stacked, Xavier
/// uniform) when kdim = vdim = E, else <c>q_proj_weight</c> [E, E], <c>k_proj_weight</c> [E, kdim],
/// <c>v_proj_weight</c> [E, vdim] (each Xavier uniform); <c>in_proj_bias</c> [3E] (zero) with a bias; with
/// <c>addBiasKv</c> <c>bias_k</c> and <c>bias_v</c> [1, 1, E] (Xavier normal), appended to the keys and values as one
/// more source position; and the child <c>out_proj</c>, a <see cref="NonDynamicallyQuantizableLinear"/> with zero bias.</para>
/// <para>Shapes: query [L, N, E] (or [N, L, E] with <c>batchFirst</c>, or unbatched [L, E]), key [S, N, kdim], value
/// [S, N, vdim]. PyTorch's inference fast path (<c>_native_multi_head_attention</c>) computes the same function; this
/// class always takes the composite path.</para>
/// </remarks>
public sealed class MultiheadAttention : Module
{
    /// <summary>Creates the layer with PyTorch's initialisation (drawn in PyTorch's order: out_proj first).</summary>
    /// <exception cref="ArgumentException"><paramref name="embedDim"/> is not divisible by <paramref name="numHeads"/>.</exception>
    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool addBiasKv = false,
        bool addZeroAttn = false, int? kdim = null, int? vdim = null, bool batchFirst = false, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(embedDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numHeads);
        if (dropout is < 0 or > 1 || double.IsNaN(dropout))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), $"dropout probability has to be between 0 and 1, but got {PyRepr.Float(dropout)}");
        }

        EmbedDim = embedDim;
        NumHeads = numHeads;
        KDim = kdim ?? embedDim;
        VDim = vdim ?? embedDim;
        Dropout = dropout;
        AddZeroAttn = addZeroAttn;
        BatchFirst = batchFirst;
        HeadDim = embedDim / numHeads;
        if (HeadDim * numHeads != embedDim)
        {
            throw new ArgumentException("embed_dim must be divisible by num_heads", nameof(numHeads));
        }

        if (!QkvSameEmbedDim)
        {
            RegisterParameter("q_proj_weight", Tensor.Zeros(embedDim, embedDim));
            RegisterParameter("k_proj_weight", Tensor.Zeros(embedDim, KDim));
            RegisterParameter("v_proj_weight", Tensor.Zeros(embedDim, VDim));
            RegisterParameter("in_proj_weight", null);
        }
        else
        {
            RegisterParameter("in_proj_weight", Tensor.Zeros(3 * embedDim, embedDim));
            RegisterParameter("q_proj_weight", null);
            RegisterParameter("k_proj_weight", null);
            RegisterParameter("v_proj_weight", null);
        }

        RegisterParameter("in_proj_bias", bias ? Tensor.Zeros(3 * embedDim) : null);
        RegisterModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias, generator));
        if (addBiasKv)
        {
            RegisterParameter("bias_k", Tensor.Zeros(1, 1, embedDim));
            RegisterParameter("bias_v", Tensor.Zeros(1, 1, embedDim));
        }

        ResetParameters(generator);
    }

    /// <summary>Model size E (the query's and the output's last dimension).</summary>
    public int EmbedDim { get; }

    /// <summary>Number of heads h.</summary>
    public int NumHeads { get; }

    /// <summary>Size of each head, E/h.</summary>
    public int HeadDim { get; }

    /// <summary>The key's last dimension.</summary>
    public int KDim { get; }

    /// <summary>The value's last dimension.</summary>
    public int VDim { get; }

    /// <summary>Dropout probability on the attention weights (in training mode).</summary>
    public double Dropout { get; }

    /// <summary>Whether a zero key and value are appended to the source (one more position every query may attend).</summary>
    public bool AddZeroAttn { get; }

    /// <summary>Whether batched inputs and outputs are [N, L, E] instead of [L, N, E].</summary>
    public bool BatchFirst { get; }

    /// <summary>Whether the projections are packed in <see cref="InProjWeight"/> (kdim = vdim = E).</summary>
    public bool QkvSameEmbedDim => KDim == EmbedDim && VDim == EmbedDim;

    /// <summary>The packed [3E, E] query, key and value projection (null when kdim or vdim differ from E).</summary>
    public Tensor? InProjWeight => GetParameter("in_proj_weight");

    /// <summary>The [E, E] query projection (null when packed).</summary>
    public Tensor? QProjWeight => GetParameter("q_proj_weight");

    /// <summary>The [E, kdim] key projection (null when packed).</summary>
    public Tensor? KProjWeight => GetParameter("k_proj_weight");

    /// <summary>The [E, vdim] value projection (null when packed).</summary>
    public Tensor? VProjWeight => GetParameter("v_proj_weight");

    /// <summary>The [3E] bias of the three projections (null without bias).</summary>
    public Tensor? InProjBias => GetParameter("in_proj_bias");

    /// <summary>The [1, 1, E] key appended to the source (null without addBiasKv).</summary>
    public Tensor? BiasK => GetParameter("bias_k");

    /// <summary>The [1, 1, E] value appended to the source (null without addBiasKv).</summary>
    public Tensor? BiasV => GetParameter("bias_v");

    /// <summary>The output projection.</summary>
    public NonDynamicallyQuantizableLinear OutProj => (NonDynamicallyQuantizableLinear)GetModule("out_proj")!;

    /// <summary>
    /// Draws the parameters again as PyTorch's <c>_reset_parameters</c>: Xavier uniform projections, zero biases
    /// (the in-projection's and out_proj's), Xavier normal bias_k and bias_v.
    /// </summary>
    public void ResetParameters(Generator? generator = null)
    {
        if (QkvSameEmbedDim)
        {
            Init.XavierUniform_(InProjWeight!, generator: generator);
        }
        else
        {
            Init.XavierUniform_(QProjWeight!, generator: generator);
            Init.XavierUniform_(KProjWeight!, generator: generator);
            Init.XavierUniform_(VProjWeight!, generator: generator);
        }

        if (InProjBias is { } inBias)
        {
            Init.Zeros_(inBias);
            Init.Zeros_(OutProj.Bias!);
        }

        if (BiasK is { } biasK)
        {
            Init.XavierNormal_(biasK, generator: generator);
        }

        if (BiasV is { } biasV)
        {
            Init.XavierNormal_(biasV, generator: generator);
        }
    }

    /// <summary>
    /// Attends from <paramref name="query"/> to <paramref name="key"/>/<paramref name="value"/> (PyTorch's
    /// <c>forward</c>). Passing the same tensor as query, key and value is self-attention.
    /// </summary>
    /// <param name="query">[L, N, E], [N, L, E] with batchFirst, or unbatched [L, E].</param>
    /// <param name="key">[S, N, kdim] (or batch first, or [S, kdim]).</param>
    /// <param name="value">[S, N, vdim] (or batch first, or [S, vdim]).</param>
    /// <param name="keyPaddingMask">[N, S] (or [S] unbatched): bool, true for a key to ignore; or floating, added to the scores.</param>
    /// <param name="needWeights">Whether to return the attention weights.</param>
    /// <param name="attnMask">[L, S] or [N·h, L, S]: bool, true where a query may NOT attend; or floating, added to the scores.</param>
    /// <param name="averageAttnWeights">Whether the returned weights are averaged over the heads ([N, L, S]) or per head ([N, h, L, S]).</param>
    /// <returns>The output [L, N, E] (as the query's layout) and, with <paramref name="needWeights"/>, the attention weights (unbatched: without N).</returns>
    /// <exception cref="ArgumentException">A shape, rank or dtype PyTorch rejects, with PyTorch's message.</exception>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null,
        bool needWeights = true, Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        CheckKeyPaddingMaskDType(keyPaddingMask);
        bool batched = query.Rank == 3;
        if (BatchFirst && batched)
        {
            // Transpose to [L, N, E] keeping which arguments are the same tensor (the in-projection's paths depend on it).
            if (ReferenceEquals(key, value))
            {
                if (ReferenceEquals(query, key))
                {
                    query = key = value = query.Transpose(1, 0);
                }
                else
                {
                    query = query.Transpose(1, 0);
                    key = value = key.Transpose(1, 0);
                }
            }
            else
            {
                (query, key, value) = (query.Transpose(1, 0), key.Transpose(1, 0), value.Transpose(1, 0));
            }
        }

        (Tensor output, Tensor? weights) = MultiHeadAttentionForward(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights);
        return BatchFirst && batched ? (output.Transpose(1, 0), weights) : (output, weights);
    }

    internal static void CheckKeyPaddingMaskDType(Tensor? keyPaddingMask)
    {
        if (keyPaddingMask is not null && keyPaddingMask.DType != DType.Bool && !keyPaddingMask.DType.IsFloatingPoint())
        {
            throw new ArgumentException("only bool and floating types of key_padding_mask are supported", nameof(keyPaddingMask));
        }
    }

    /// <summary>PyTorch's <c>F.multi_head_attention_forward</c> on [L, N, E]-layout (or unbatched) inputs.</summary>
    private (Tensor Output, Tensor? Weights) MultiHeadAttentionForward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask,
        bool needWeights, Tensor? attnMask, bool averageAttnWeights)
    {
        bool batched = ShapeCheck(query, key, value, keyPaddingMask, attnMask);
        if (!batched)
        {
            // As PyTorch: a batch of one at dimension 1, squeezed again at the end (the unsqueezed tensors are new
            // objects, so unbatched self-attention takes the three-projection path, like PyTorch's).
            query = query.Unsqueeze(1);
            key = key.Unsqueeze(1);
            value = value.Unsqueeze(1);
            keyPaddingMask = keyPaddingMask?.Unsqueeze(0);
        }

        int tgtLen = query.Shape[0], bsz = query.Shape[1], embedDim = query.Shape[2];
        int srcLen = key.Shape[0];
        if (embedDim != EmbedDim)
        {
            throw new ArgumentException($"was expecting embedding dimension of {EmbedDim}, but got {embedDim}", nameof(query));
        }

        if (QkvSameEmbedDim)
        {
            if (key.Shape != value.Shape)
            {
                throw new ArgumentException($"key shape {TorchSize(key.Shape)} does not match value shape {TorchSize(value.Shape)}", nameof(value));
            }
        }
        else if (key.Shape[0] != value.Shape[0] || key.Shape[1] != value.Shape[1])
        {
            throw new ArgumentException(
                $"key's sequence and batch dims torch.Size([{key.Shape[0]}, {key.Shape[1]}]) do not match value's torch.Size([{value.Shape[0]}, {value.Shape[1]}])",
                nameof(value));
        }

        (Tensor q, Tensor k, Tensor v) = QkvSameEmbedDim ? InProjectionPacked(query, key, value) : InProjection(query, key, value);

        if (attnMask is not null)
        {
            if (attnMask.DType != DType.Bool && !attnMask.DType.IsFloatingPoint())
            {
                throw new ArgumentException($"Only float, byte, and bool types are supported for attn_mask, not {attnMask.DType.TorchName()}", nameof(attnMask));
            }

            if (attnMask.Rank == 2)
            {
                if (attnMask.Shape[0] != tgtLen || attnMask.Shape[1] != srcLen)
                {
                    throw new ArgumentException($"The shape of the 2D attn_mask is {TorchSize(attnMask.Shape)}, but should be ({tgtLen}, {srcLen}).", nameof(attnMask));
                }

                attnMask = attnMask.Unsqueeze(0);
            }
            else if (attnMask.Rank == 3)
            {
                if (attnMask.Shape[0] != bsz * NumHeads || attnMask.Shape[1] != tgtLen || attnMask.Shape[2] != srcLen)
                {
                    throw new ArgumentException(
                        $"The shape of the 3D attn_mask is {TorchSize(attnMask.Shape)}, but should be ({bsz * NumHeads}, {tgtLen}, {srcLen}).", nameof(attnMask));
                }
            }
            else
            {
                throw new ArgumentException($"attn_mask's dimension {attnMask.Rank} is not supported", nameof(attnMask));
            }
        }

        if (BiasK is { } biasK && BiasV is { } biasV)
        {
            // One more source position: the learned key and value, which every query may attend (the masks get a
            // column of "attend"/0).
            k = Tensor.Cat(k, biasK.Repeat(1, bsz, 1));
            v = Tensor.Cat(v, biasV.Repeat(1, bsz, 1));
            attnMask = attnMask is null ? null : PadLast(attnMask);
            keyPaddingMask = keyPaddingMask is null ? null : PadLast(keyPaddingMask);
        }

        // [L, N, E] → [N·h, L, d]: head j of batch entry b is row b·h + j.
        q = q.Contiguous().View(tgtLen, bsz * NumHeads, HeadDim).Transpose(0, 1);
        k = k.Contiguous().View(k.Shape[0], bsz * NumHeads, HeadDim).Transpose(0, 1);
        v = v.Contiguous().View(v.Shape[0], bsz * NumHeads, HeadDim).Transpose(0, 1);
        if (AddZeroAttn)
        {
            k = Tensor.Cat([k, Tensor.Zeros([bsz * NumHeads, 1, HeadDim], k.DType)], 1);
            v = Tensor.Cat([v, Tensor.Zeros([bsz * NumHeads, 1, HeadDim], v.DType)], 1);
            attnMask = attnMask is null ? null : PadLast(attnMask);
            keyPaddingMask = keyPaddingMask is null ? null : PadLast(keyPaddingMask);
        }

        srcLen = k.Shape[1];
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.Shape[0] != bsz || keyPaddingMask.Shape[1] != srcLen)
            {
                throw new ArgumentException($"expecting key_padding_mask shape of ({bsz}, {srcLen}), but got {TorchSize(keyPaddingMask.Shape)}", nameof(keyPaddingMask));
            }

            keyPaddingMask = keyPaddingMask.View(bsz, 1, 1, srcLen).Expand(-1, NumHeads, -1, -1).Reshape(bsz * NumHeads, 1, srcLen);
            if (attnMask is null)
            {
                attnMask = keyPaddingMask;
            }
            else if (attnMask.DType == DType.Bool)
            {
                // PyTorch's logical_or: a floating padding mask counts as "ignore" where it is non-zero.
                attnMask = attnMask.LogicalOr(keyPaddingMask.DType == DType.Bool ? keyPaddingMask : keyPaddingMask.Ne(0.0));
            }
            else
            {
                attnMask = attnMask.MaskedFill(keyPaddingMask, double.NegativeInfinity);
            }
        }

        if (attnMask is not null && attnMask.DType == DType.Bool)
        {
            attnMask = Tensor.ZerosLike(attnMask, q.DType).MaskedFill(attnMask, double.NegativeInfinity);
        }

        double dropoutP = Training ? Dropout : 0;

        // Scores = M + (Q/√d)·Kᵀ, as PyTorch's baddbmm (the scaling before the product, as PyTorch's).
        Tensor qScaled = q / Math.Sqrt(HeadDim);
        Tensor kT = k.Transpose(-2, -1);
        Tensor weights = attnMask is null ? Tensor.Bmm(qScaled, kT) : Tensor.Baddbmm(attnMask, qScaled, kT);
        weights = Tensor.Softmax(weights, -1);
        if (dropoutP > 0)
        {
            weights = Functional.Dropout(weights, (float)dropoutP);
        }

        Tensor output = Tensor.Bmm(weights, v);
        output = output.Transpose(0, 1).Contiguous().View(tgtLen * bsz, embedDim);
        output = Functional.Linear(output, OutProj.Weight, OutProj.Bias);
        output = output.View(tgtLen, bsz, output.Shape[1]);
        if (!needWeights)
        {
            return (batched ? output : output.Squeeze(1), null);
        }

        weights = weights.View(bsz, NumHeads, tgtLen, srcLen);
        if (averageAttnWeights)
        {
            weights = weights.Sum(1) / NumHeads;
        }

        return batched ? (output, weights) : (output.Squeeze(1), weights.Squeeze(0));
    }

    /// <summary>PyTorch's <c>_mha_shape_check</c>: the ranks of the inputs and masks; returns whether the input is batched.</summary>
    private bool ShapeCheck(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask, Tensor? attnMask)
    {
        if (query.Rank == 3)
        {
            if (key.Rank != 3 || value.Rank != 3)
            {
                throw new ArgumentException(
                    $"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found {key.Rank}-D and {value.Rank}-D tensors respectively", nameof(key));
            }

            if (keyPaddingMask is not null && keyPaddingMask.Rank != 2)
            {
                throw new ArgumentException(
                    $"For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found {keyPaddingMask.Rank}-D tensor instead", nameof(keyPaddingMask));
            }

            if (attnMask is not null && attnMask.Rank is not (2 or 3))
            {
                throw new ArgumentException(
                    $"For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found {attnMask.Rank}-D tensor instead", nameof(attnMask));
            }

            return true;
        }

        if (query.Rank == 2)
        {
            if (key.Rank != 2 || value.Rank != 2)
            {
                throw new ArgumentException(
                    $"For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found {key.Rank}-D and {value.Rank}-D tensors respectively", nameof(key));
            }

            if (keyPaddingMask is not null && keyPaddingMask.Rank != 1)
            {
                throw new ArgumentException(
                    $"For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found {keyPaddingMask.Rank}-D tensor instead", nameof(keyPaddingMask));
            }

            if (attnMask is not null)
            {
                if (attnMask.Rank is not (2 or 3))
                {
                    throw new ArgumentException(
                        $"For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found {attnMask.Rank}-D tensor instead", nameof(attnMask));
                }

                if (attnMask.Rank == 3 && (attnMask.Shape[0] != NumHeads || attnMask.Shape[1] != query.Shape[0] || attnMask.Shape[2] != key.Shape[0]))
                {
                    throw new ArgumentException(
                        $"Expected `attn_mask` shape to be ({NumHeads}, {query.Shape[0]}, {key.Shape[0]}) but got {TorchSize(attnMask.Shape)}", nameof(attnMask));
                }
            }

            return false;
        }

        throw new ArgumentException($"query should be unbatched 2D or batched 3D tensor but received {query.Rank}-D query tensor", nameof(query));
    }

    /// <summary>
    /// PyTorch's <c>_in_projection_packed</c>: one Linear and a three-way chunk for self-attention (q is k is v), the
    /// query's rows and one two-way chunked Linear for encoder-decoder attention (k is v), three Linears otherwise.
    /// </summary>
    private (Tensor Q, Tensor K, Tensor V) InProjectionPacked(Tensor q, Tensor k, Tensor v)
    {
        Tensor w = InProjWeight!;
        Tensor? b = InProjBias;
        int e = q.Shape[-1];
        if (ReferenceEquals(k, v))
        {
            if (ReferenceEquals(q, k))
            {
                Tensor[] qkv = Functional.Linear(q, w, b).Chunk(3, -1);
                return (qkv[0], qkv[1], qkv[2]);
            }

            Tensor[] ws = w.Split([e, 2 * e]);
            Tensor[]? bs = b?.Split([e, 2 * e]);
            Tensor[] kv = Functional.Linear(k, ws[1], bs?[1]).Chunk(2, -1);
            return (Functional.Linear(q, ws[0], bs?[0]), kv[0], kv[1]);
        }

        Tensor[] w3 = w.Chunk(3);
        Tensor[]? b3 = b?.Chunk(3);
        return (Functional.Linear(q, w3[0], b3?[0]), Functional.Linear(k, w3[1], b3?[1]), Functional.Linear(v, w3[2], b3?[2]));
    }

    /// <summary>PyTorch's <c>_in_projection</c> with the separate weights (kdim or vdim differ from E), checking their shapes.</summary>
    private (Tensor Q, Tensor K, Tensor V) InProjection(Tensor q, Tensor k, Tensor v)
    {
        Tensor wq = QProjWeight!, wk = KProjWeight!, wv = VProjWeight!;
        int eq = q.Shape[-1], ek = k.Shape[-1], ev = v.Shape[-1];
        CheckWeight(wq, eq, eq, "query");
        CheckWeight(wk, eq, ek, "key");
        CheckWeight(wv, eq, ev, "value");
        Tensor[]? b3 = InProjBias?.Chunk(3);
        return (Functional.Linear(q, wq, b3?[0]), Functional.Linear(k, wk, b3?[1]), Functional.Linear(v, wv, b3?[2]));

        static void CheckWeight(Tensor weight, int rows, int columns, string what)
        {
            if (weight.Rank != 2 || weight.Shape[0] != rows || weight.Shape[1] != columns)
            {
                throw new ArgumentException($"expecting {what} weights shape of ({rows}, {columns}), but got {TorchSize(weight.Shape)}");
            }
        }
    }

    /// <summary>PyTorch's <c>pad(mask, (0, 1))</c>: one more last-dimension column of zeros (false for a bool mask).</summary>
    private static Tensor PadLast(Tensor mask)
    {
        int[] shape = [.. mask.Shape];
        shape[^1] = 1;
        return Tensor.Cat([mask, Tensor.Zeros(shape, mask.DType)], -1);
    }
}
