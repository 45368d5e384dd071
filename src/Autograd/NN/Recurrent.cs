namespace Autograd.NN;

/// <summary>The hidden and cell state of an <see cref="LSTM"/> or <see cref="LSTMCell"/> (PyTorch's <c>(h, c)</c> tuple).</summary>
/// <param name="H">The hidden state: [D·numLayers, N, H] for an LSTM (no batch dimension when unbatched), [N, H] or [H] for a cell.</param>
/// <param name="C">The cell state, of the same shape as <paramref name="H"/>.</param>
public sealed record LSTMState(Tensor H, Tensor C);

/// <summary>
/// The recurrences of PyTorch's RNN family for one time step, written with tensor ops so that autograd (and
/// createGraph) differentiates them with no dedicated backward node. Each takes the input projection
/// <c>xp = x·W_ihᵀ + b_ih</c> (precomputed for all steps by the layers, so only the hidden projection is in the loop)
/// and follows PyTorch's CPU kernels (aten/src/ATen/native/RNN.cpp) term by term, so float32 results round alike.
/// </summary>
internal static class Recurrence
{
    /// <summary>Elman step: <c>h' = act(W_hh·h + b_hh + xp)</c>, act = tanh or relu.</summary>
    internal static Tensor Simple(Tensor xp, Tensor h, Tensor wHh, Tensor? bHh, bool relu)
    {
        Tensor pre = Functional.Linear(h, wHh, bHh) + xp;
        return relu ? Tensor.Relu(pre) : Tensor.Tanh(pre);
    }

    /// <summary>
    /// LSTM step with gates in PyTorch's order i, f, g, o: <c>[i f g o] = W_hh·h + b_hh + xp</c>;
    /// <c>c' = σ(f)⊙c + σ(i)⊙tanh(g)</c>, <c>h' = σ(o)⊙tanh(c')</c>.
    /// </summary>
    internal static (Tensor H, Tensor C) Lstm(Tensor xp, Tensor h, Tensor c, Tensor wHh, Tensor? bHh)
    {
        Tensor[] gates = (Functional.Linear(h, wHh, bHh) + xp).Chunk(4, 1);
        Tensor input = Tensor.Sigmoid(gates[0]), forget = Tensor.Sigmoid(gates[1]);
        Tensor cell = Tensor.Tanh(gates[2]), output = Tensor.Sigmoid(gates[3]);
        Tensor cNext = (forget * c) + (input * cell);
        return (output * Tensor.Tanh(cNext), cNext);
    }

    /// <summary>
    /// GRU step with gates in PyTorch's order r, z, n, the reset gate applied to the whole hidden term of n:
    /// <c>r = σ(W_hr·h + b_hr + xp_r)</c>, <c>z = σ(W_hz·h + b_hz + xp_z)</c>, <c>n = tanh(xp_n + r⊙(W_hn·h + b_hn))</c>,
    /// <c>h' = (1 − z)⊙n + z⊙h</c>, computed as PyTorch does as <c>(h − n)⊙z + n</c>.
    /// </summary>
    internal static Tensor Gru(Tensor xp, Tensor h, Tensor wHh, Tensor? bHh)
    {
        Tensor[] x = xp.Chunk(3, 1);
        Tensor[] g = Functional.Linear(h, wHh, bHh).Chunk(3, 1);
        Tensor reset = Tensor.Sigmoid(g[0] + x[0]);
        Tensor update = Tensor.Sigmoid(g[1] + x[1]);
        Tensor candidate = Tensor.Tanh(x[2] + (g[2] * reset));
        return ((h - candidate) * update) + candidate;
    }

    /// <summary>The number of gate blocks stacked in each weight: 1 (RNN), 4 (LSTM), 3 (GRU).</summary>
    internal static int GateCount(RecurrentMode mode) => mode switch
    {
        RecurrentMode.Lstm => 4,
        RecurrentMode.Gru => 3,
        _ => 1,
    };

    /// <summary>PyTorch's <c>reset_parameters</c> of every recurrent module: each parameter from U(±1/√hidden).</summary>
    internal static void Reset(Module module, int hiddenSize, Generator? generator)
    {
        double bound = hiddenSize > 0 ? 1 / Math.Sqrt(hiddenSize) : 0;
        foreach (Tensor parameter in module.Parameters())
        {
            Init.Uniform_(parameter, -bound, bound, generator);
        }
    }

    internal static void CheckSizes(int inputSize, int hiddenSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSize);
        if (hiddenSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), "hidden_size must be greater than zero");
        }
    }
}

/// <summary>Which recurrence a layer runs.</summary>
internal enum RecurrentMode
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}

/// <summary>
/// The multi-layer, optionally bidirectional recurrent layers (PyTorch's <c>nn.RNNBase</c>): <see cref="RNN"/>,
/// <see cref="LSTM"/> and <see cref="GRU"/>. Forward takes a sequence [T, N, Hin] ([N, T, Hin] with
/// <see cref="BatchFirst"/>, or unbatched [T, Hin]) and an optional initial state, and returns the last layer's
/// hidden state at every step, [T, N, D·H] (D = 2 when bidirectional, the forward direction first), and the final
/// state of every layer and direction, [D·numLayers, N, H] in the order l0, l0_reverse, l1, ….
/// </summary>
/// <remarks>
/// Parameters carry PyTorch's names, so state dicts interchange with PyTorch's: for layer k and direction suffix
/// s ∈ {"", "_reverse"}, <c>weight_ih_lk{s}</c> [G·H, Hin_k] (Hin_k = Hin for k = 0, D·H above),
/// <c>weight_hh_lk{s}</c> [G·H, H], <c>bias_ih_lk{s}</c> and <c>bias_hh_lk{s}</c> [G·H], with G gate blocks stacked
/// in PyTorch's order. Per layer and direction the input projection of all T steps is one matrix product
/// ([T·N, Hin_k]·W_ihᵀ), and the loop over time only multiplies by W_hh; the time loop is made of ordinary tensor
/// ops, so autograd differentiates through it (to any order). Dropout with probability <see cref="Dropout"/> is
/// applied to the output of every layer but the last, in training mode only.
/// </remarks>
/// <typeparam name="TState">The state type: <see cref="Tensor"/> (h) for RNN and GRU, <see cref="LSTMState"/> (h, c) for LSTM.</typeparam>
public abstract class RNNBase<TState> : Module<Tensor, TState?, (Tensor Output, TState State)>
    where TState : class
{
    private readonly RecurrentMode _mode;
    private readonly string[][] _names;   // per layer·direction: weight_ih, weight_hh, bias_ih, bias_hh (null names when no bias)

    private protected RNNBase(RecurrentMode mode, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst,
        double dropout, bool bidirectional, Generator? generator)
    {
        Recurrence.CheckSizes(inputSize, hiddenSize);
        if (numLayers <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numLayers), "num_layers must be greater than zero");
        }

        if (dropout is < 0 or > 1 || double.IsNaN(dropout))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), "dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        }

        _mode = mode;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1, gates = Recurrence.GateCount(mode) * hiddenSize;
        _names = new string[numLayers * directions][];
        for (int layer = 0; layer < numLayers; layer++)
        {
            int layerInput = layer == 0 ? inputSize : directions * hiddenSize;
            for (int direction = 0; direction < directions; direction++)
            {
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : string.Empty);
                string[] names = [$"weight_ih{suffix}", $"weight_hh{suffix}", $"bias_ih{suffix}", $"bias_hh{suffix}"];
                RegisterParameter(names[0], Tensor.Zeros(gates, layerInput));
                RegisterParameter(names[1], Tensor.Zeros(gates, hiddenSize));
                if (bias)
                {
                    RegisterParameter(names[2], Tensor.Zeros(gates));
                    RegisterParameter(names[3], Tensor.Zeros(gates));
                }

                _names[(layer * directions) + direction] = names;
            }
        }

        ResetParameters(generator);
    }

    /// <summary>Size of the input's last dimension (Hin).</summary>
    public int InputSize { get; }

    /// <summary>Size of the hidden state (H).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases b_ih and b_hh.</summary>
    public bool Bias { get; }

    /// <summary>Whether the input and output are [N, T, ·] instead of [T, N, ·] (the states keep [D·numLayers, N, H]).</summary>
    public bool BatchFirst { get; }

    /// <summary>Probability of zeroing an element of each layer's output but the last's, in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs over the reversed sequence (D = 2).</summary>
    public bool Bidirectional { get; }

    /// <summary>Runs the layers from a zero initial state.</summary>
    public (Tensor Output, TState State) Forward(Tensor input) => Forward(input, null);

    /// <summary>Draws every parameter again from U(±1/√hidden), as the constructor does (PyTorch's <c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null) => Recurrence.Reset(this, HiddenSize, generator);

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        string s = $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}";
        if (NumLayers != 1)
        {
            s += $", num_layers={PyRepr.Int(NumLayers)}";
        }

        if (!Bias)
        {
            s += ", bias=False";
        }

        if (BatchFirst)
        {
            s += ", batch_first=True";
        }

        if (Dropout != 0)
        {
            s += $", dropout={PyRepr.Float(Dropout)}";
        }

        if (Bidirectional)
        {
            s += ", bidirectional=True";
        }

        return s;
    }

    /// <summary>
    /// Validates the input and initial state with PyTorch's messages and runs the layers: the input and states are
    /// given a batch dimension when unbatched, and lose it again on the way out.
    /// </summary>
    private protected (Tensor Output, Tensor H, Tensor? C) Run(Tensor input, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool lstm = _mode == RecurrentMode.Lstm;
        bool batched = input.Rank == 3;
        if (!batched)
        {
            input = input.Unsqueeze(BatchFirst ? 0 : 1);
            if (h0 is not null)
            {
                if (h0.Rank != 2 || (c0 is not null && c0.Rank != 2))
                {
                    throw new ArgumentException(lstm
                        ? $"For unbatched 2-D input, hx and cx should also be 2-D but got ({h0.Rank}-D, {c0!.Rank}-D) tensors"
                        : $"For unbatched 2-D input, hx should also be 2-D but got {h0.Rank}-D tensor", nameof(input));
                }

                h0 = h0.Unsqueeze(1);
                c0 = c0?.Unsqueeze(1);
            }
        }
        else if (h0 is not null && (h0.Rank != 3 || (c0 is not null && c0.Rank != 3)))
        {
            throw new ArgumentException(lstm
                ? $"For batched 3-D input, hx and cx should also be 3-D but got ({h0.Rank}-D, {c0!.Rank}-D) tensors"
                : $"For batched 3-D input, hx should also be 3-D but got {h0.Rank}-D tensor", nameof(input));
        }

        if (input.Rank != 3)
        {
            throw new ArgumentException($"input must have 3 dimensions, got {input.Rank}", nameof(input));
        }

        if (input.Shape[-1] != InputSize)
        {
            throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {input.Shape[-1]}", nameof(input));
        }

        int directions = Bidirectional ? 2 : 1;
        int batch = input.Shape[BatchFirst ? 0 : 1];
        int[] expected = [NumLayers * directions, batch, HiddenSize];
        string label = lstm ? "hidden[0] " : "hidden ";
        CheckState(h0, expected, label);
        CheckState(c0, expected, "hidden[1] ");
        h0 ??= Tensor.Zeros(expected, input.DType);
        if (lstm)
        {
            c0 ??= Tensor.Zeros(expected, input.DType);
        }

        (Tensor output, Tensor h, Tensor? c) = RunLayers(BatchFirst ? input.Transpose(0, 1) : input, h0, c0);
        if (BatchFirst)
        {
            output = output.Transpose(0, 1);
        }

        return batched
            ? (output, h, c)
            : (output.Squeeze(BatchFirst ? 0 : 1), h.Squeeze(1), c?.Squeeze(1));
    }

    private static void CheckState(Tensor? state, int[] expected, string label)
    {
        if (state is not null && !state.Shape.ToArray().AsSpan().SequenceEqual(expected))
        {
            throw new ArgumentException($"Expected {label}size ({string.Join(", ", expected)}), got {state.Shape}", nameof(state));
        }
    }

    /// <summary>The layers over a [T, N, Hin] sequence from states [D·L, N, H].</summary>
    private (Tensor Output, Tensor H, Tensor? C) RunLayers(Tensor x, Tensor h0, Tensor? c0)
    {
        int steps = x.Shape[0], batch = x.Shape[1], directions = Bidirectional ? 2 : 1;
        int gates = Recurrence.GateCount(_mode) * HiddenSize;
        var hs = new Tensor[NumLayers * directions];
        var cs = new Tensor[NumLayers * directions];
        var outputs = new Tensor[directions];
        var sequence = new Tensor[steps];
        Tensor layerInput = x;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            for (int direction = 0; direction < directions; direction++)
            {
                int k = (layer * directions) + direction;
                string[] names = _names[k];
                Tensor wIh = GetParameter(names[0])!, wHh = GetParameter(names[1])!;
                Tensor? bIh = Bias ? GetParameter(names[2]) : null, bHh = Bias ? GetParameter(names[3]) : null;

                // All T input projections in one product: [T·N, Hin]·W_ihᵀ + b_ih.
                Tensor projection = Functional.Linear(layerInput.Reshape(steps * batch, layerInput.Shape[2]), wIh, bIh)
                    .Reshape(steps, batch, gates);
                Tensor h = h0.Select(0, k);
                Tensor? c = c0?.Select(0, k);
                for (int s = 0; s < steps; s++)
                {
                    int t = direction == 0 ? s : steps - 1 - s;
                    Tensor xp = projection.Select(0, t);
                    switch (_mode)
                    {
                        case RecurrentMode.Lstm:
                            (h, c) = Recurrence.Lstm(xp, h, c!, wHh, bHh);
                            break;
                        case RecurrentMode.Gru:
                            h = Recurrence.Gru(xp, h, wHh, bHh);
                            break;
                        default:
                            h = Recurrence.Simple(xp, h, wHh, bHh, _mode == RecurrentMode.RnnRelu);
                            break;
                    }

                    sequence[t] = h;
                }

                outputs[direction] = steps == 0 ? Tensor.Zeros([0, batch, HiddenSize], x.DType) : Tensor.Stack(sequence, 0);
                hs[k] = h;
                cs[k] = c!;
            }

            layerInput = directions == 1 ? outputs[0] : Tensor.Cat(outputs, 2);
            if (Dropout > 0 && Training && layer < NumLayers - 1)
            {
                layerInput = Functional.Dropout(layerInput, (float)Dropout, training: true);
            }
        }

        return (layerInput, Tensor.Stack(hs, 0), c0 is null ? null : Tensor.Stack(cs, 0));
    }
}

/// <summary>
/// Multi-layer Elman RNN (PyTorch's <c>nn.RNN</c>): <c>hₜ = act(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh)</c> with act = tanh
/// or relu. See <see cref="RNNBase{TState}"/> for shapes, parameters and dropout.
/// </summary>
public sealed class RNN : RNNBase<Tensor>
{
    /// <summary>Creates the layers with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden state; positive.</param>
    /// <param name="numLayers">Number of stacked layers; positive.</param>
    /// <param name="nonlinearity"><c>"tanh"</c> or <c>"relu"</c>.</param>
    /// <param name="bias">Whether the layers have biases.</param>
    /// <param name="batchFirst">Whether the input and output are [N, T, ·].</param>
    /// <param name="dropout">Dropout probability between layers, in training mode.</param>
    /// <param name="bidirectional">Whether each layer also runs backward over the sequence.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : base(ModeOf(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator) =>
        Nonlinearity = nonlinearity;

    /// <summary><c>"tanh"</c> or <c>"relu"</c>.</summary>
    public string Nonlinearity { get; }

    /// <summary>Runs the layers from <paramref name="input2"/> (h0, [D·numLayers, N, H]; zeros when null).</summary>
    /// <param name="input1">The sequence, [T, N, Hin], [N, T, Hin] with BatchFirst, or unbatched [T, Hin].</param>
    /// <param name="input2">The initial hidden state, or null.</param>
    /// <returns>The output [T, N, D·H] and the final hidden state [D·numLayers, N, H] (without N when unbatched).</returns>
    public override (Tensor Output, Tensor State) Forward(Tensor input1, Tensor? input2)
    {
        (Tensor output, Tensor h, _) = Run(input1, input2, null);
        return (output, h);
    }

    internal static RecurrentMode ModeOf(string nonlinearity) => nonlinearity switch
    {
        "tanh" => RecurrentMode.RnnTanh,
        "relu" => RecurrentMode.RnnRelu,
        _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'", nameof(nonlinearity)),
    };
}

/// <summary>
/// Multi-layer long short-term memory (PyTorch's <c>nn.LSTM</c>), gates in PyTorch's order i, f, g, o:
/// <c>cₜ = σ(f)⊙cₜ₋₁ + σ(i)⊙tanh(g)</c>, <c>hₜ = σ(o)⊙tanh(cₜ)</c> with <c>[i f g o] = W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh</c>.
/// See <see cref="RNNBase{TState}"/> for shapes, parameters and dropout.
/// </summary>
public sealed class LSTM : RNNBase<LSTMState>
{
    /// <summary>Creates the layers with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden and cell states; positive.</param>
    /// <param name="numLayers">Number of stacked layers; positive.</param>
    /// <param name="bias">Whether the layers have biases.</param>
    /// <param name="batchFirst">Whether the input and output are [N, T, ·].</param>
    /// <param name="dropout">Dropout probability between layers, in training mode.</param>
    /// <param name="bidirectional">Whether each layer also runs backward over the sequence.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : base(RecurrentMode.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>Runs the layers from <paramref name="input2"/> (h0 and c0, each [D·numLayers, N, H]; zeros when null).</summary>
    /// <param name="input1">The sequence, [T, N, Hin], [N, T, Hin] with BatchFirst, or unbatched [T, Hin].</param>
    /// <param name="input2">The initial hidden and cell states, or null.</param>
    /// <returns>The output [T, N, D·H] and the final states, each [D·numLayers, N, H] (without N when unbatched).</returns>
    public override (Tensor Output, LSTMState State) Forward(Tensor input1, LSTMState? input2)
    {
        (Tensor output, Tensor h, Tensor? c) = Run(input1, input2?.H, input2?.C);
        return (output, new LSTMState(h, c!));
    }
}

/// <summary>
/// Multi-layer gated recurrent unit (PyTorch's <c>nn.GRU</c>), gates in PyTorch's order r, z, n:
/// <c>r = σ(W_ir·x + b_ir + W_hr·h + b_hr)</c>, <c>z = σ(W_iz·x + b_iz + W_hz·h + b_hz)</c>,
/// <c>n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn))</c>, <c>h' = (1 − z)⊙n + z⊙h</c>.
/// See <see cref="RNNBase{TState}"/> for shapes, parameters and dropout.
/// </summary>
public sealed class GRU : RNNBase<Tensor>
{
    /// <summary>Creates the layers with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden state; positive.</param>
    /// <param name="numLayers">Number of stacked layers; positive.</param>
    /// <param name="bias">Whether the layers have biases.</param>
    /// <param name="batchFirst">Whether the input and output are [N, T, ·].</param>
    /// <param name="dropout">Dropout probability between layers, in training mode.</param>
    /// <param name="bidirectional">Whether each layer also runs backward over the sequence.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : base(RecurrentMode.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>Runs the layers from <paramref name="input2"/> (h0, [D·numLayers, N, H]; zeros when null).</summary>
    /// <param name="input1">The sequence, [T, N, Hin], [N, T, Hin] with BatchFirst, or unbatched [T, Hin].</param>
    /// <param name="input2">The initial hidden state, or null.</param>
    /// <returns>The output [T, N, D·H] and the final hidden state [D·numLayers, N, H] (without N when unbatched).</returns>
    public override (Tensor Output, Tensor State) Forward(Tensor input1, Tensor? input2)
    {
        (Tensor output, Tensor h, _) = Run(input1, input2, null);
        return (output, h);
    }
}
