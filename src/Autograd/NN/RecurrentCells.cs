namespace Autograd.NN;

/// <summary>
/// The single-step recurrent cells (PyTorch's <c>nn.RNNCellBase</c>): <see cref="RNNCell"/>, <see cref="LSTMCell"/>
/// and <see cref="GRUCell"/>. A cell maps an input [N, Hin] (or unbatched [Hin]) and a state [N, H] (zeros when
/// absent) to the next state, with parameters named as PyTorch's: <c>weight_ih</c> [G·H, Hin], <c>weight_hh</c>
/// [G·H, H], <c>bias_ih</c> and <c>bias_hh</c> [G·H], G gate blocks stacked in PyTorch's order, all initialised from
/// U(±1/√H). The step is the one the multi-layer modules loop over (same formulas, same rounding).
/// </summary>
/// <typeparam name="TState">The state type: <see cref="Tensor"/> (h) for RNNCell and GRUCell, <see cref="LSTMState"/> (h, c) for LSTMCell.</typeparam>
public abstract class RNNCellBase<TState> : Module<Tensor, TState?, TState>
    where TState : class
{
    private protected RNNCellBase(int gates, int inputSize, int hiddenSize, bool bias, Generator? generator)
    {
        Recurrence.CheckSizes(inputSize, hiddenSize);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Bias = bias;
        RegisterParameter("weight_ih", Tensor.Zeros(gates * hiddenSize, inputSize));
        RegisterParameter("weight_hh", Tensor.Zeros(gates * hiddenSize, hiddenSize));
        RegisterParameter("bias_ih", bias ? Tensor.Zeros(gates * hiddenSize) : null);
        RegisterParameter("bias_hh", bias ? Tensor.Zeros(gates * hiddenSize) : null);
        ResetParameters(generator);
    }

    /// <summary>Size of the input's last dimension (Hin).</summary>
    public int InputSize { get; }

    /// <summary>Size of the hidden state (H).</summary>
    public int HiddenSize { get; }

    /// <summary>Whether the cell has the biases b_ih and b_hh.</summary>
    public bool Bias { get; }

    /// <summary>The [G·H, Hin] input weights.</summary>
    public Tensor WeightIh => GetParameter("weight_ih")!;

    /// <summary>The [G·H, H] hidden weights.</summary>
    public Tensor WeightHh => GetParameter("weight_hh")!;

    /// <summary>The [G·H] input bias, or null.</summary>
    public Tensor? BiasIh => GetParameter("bias_ih");

    /// <summary>The [G·H] hidden bias, or null.</summary>
    public Tensor? BiasHh => GetParameter("bias_hh");

    /// <summary>One step from a zero state.</summary>
    public TState Forward(Tensor input) => Forward(input, null);

    /// <summary>Draws every parameter again from U(±1/√hidden), as the constructor does (PyTorch's <c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null) => Recurrence.Reset(this, HiddenSize, generator);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{PyRepr.Int(InputSize)}, {PyRepr.Int(HiddenSize)}" + (Bias ? string.Empty : ", bias=False");

    /// <summary>
    /// Gives an unbatched input (and its states) a batch dimension, checks the shapes with PyTorch's messages and
    /// returns the batched input, the states (zeros when absent) and whether the input was batched.
    /// </summary>
    private protected (Tensor Input, Tensor[] States, bool Batched) Prepare(Tensor input, Tensor[]? states, int count)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (1 or 2))
        {
            throw new ArgumentException($"{TypeName}: Expected input to be 1-D or 2-D but received {input.Rank}-D tensor", nameof(input));
        }

        bool batched = input.Rank == 2;
        if (!batched)
        {
            input = input.Unsqueeze(0);
            states = states?.Select(s => s.Unsqueeze(0)).ToArray();
        }

        if (input.Shape[1] != InputSize)
        {
            throw new ArgumentException($"input has inconsistent input_size: got {input.Shape[1]} expected {InputSize}", nameof(input));
        }

        int batch = input.Shape[0];
        if (states is null)
        {
            states = new Tensor[count];
            for (int i = 0; i < count; i++)
            {
                states[i] = Tensor.Zeros([batch, HiddenSize], input.DType);
            }
        }

        // PyTorch labels the cell state of an LSTMCell "hidden0" too (check_rnn_cell_forward_hidden(..., 0) twice).
        foreach (Tensor state in states)
        {
            if (state.Rank == 0 || state.Shape[0] != batch)
            {
                throw new ArgumentException($"Input batch size {batch} doesn't match hidden0 batch size {(state.Rank == 0 ? 0 : state.Shape[0])}", nameof(states));
            }

            if (state.Rank != 2 || state.Shape[1] != HiddenSize)
            {
                throw new ArgumentException($"hidden0 has inconsistent hidden_size: got {(state.Rank < 2 ? 0 : state.Shape[1])}, expected {HiddenSize}", nameof(states));
            }
        }

        return (input, states, batched);
    }

    /// <summary>The input projection <c>x·W_ihᵀ + b_ih</c>.</summary>
    private protected Tensor Project(Tensor input) => Functional.Linear(input, WeightIh, BiasIh);
}

/// <summary>One Elman step (PyTorch's <c>nn.RNNCell</c>): <c>h' = act(W_ih·x + b_ih + W_hh·h + b_hh)</c>, act = tanh or relu.</summary>
public sealed class RNNCell : RNNCellBase<Tensor>
{
    /// <summary>Creates the cell with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden state; positive.</param>
    /// <param name="bias">Whether the cell has biases.</param>
    /// <param name="nonlinearity"><c>"tanh"</c> or <c>"relu"</c>.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", Generator? generator = null)
        : base(1, inputSize, hiddenSize, bias, generator)
    {
        _relu = RNN.ModeOf(nonlinearity) == RecurrentMode.RnnRelu;
        Nonlinearity = nonlinearity;
    }

    private readonly bool _relu;

    /// <summary><c>"tanh"</c> or <c>"relu"</c>.</summary>
    public string Nonlinearity { get; }

    /// <summary>The next hidden state from <paramref name="input1"/> ([N, Hin] or [Hin]) and <paramref name="input2"/> (h, [N, H] or [H]; zeros when null).</summary>
    /// <param name="input1">The input.</param>
    /// <param name="input2">The hidden state, or null.</param>
    /// <returns>h', [N, H] (or [H] when unbatched).</returns>
    public override Tensor Forward(Tensor input1, Tensor? input2)
    {
        (Tensor x, Tensor[] states, bool batched) = Prepare(input1, input2 is null ? null : [input2], 1);
        Tensor h = Recurrence.Simple(Project(x), states[0], WeightHh, BiasHh, _relu);
        return batched ? h : h.Squeeze(0);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => base.ExtraRepr() + (_relu ? ", nonlinearity=relu" : string.Empty);
}

/// <summary>
/// One LSTM step (PyTorch's <c>nn.LSTMCell</c>), gates in the order i, f, g, o:
/// <c>c' = σ(f)⊙c + σ(i)⊙tanh(g)</c>, <c>h' = σ(o)⊙tanh(c')</c>.
/// </summary>
public sealed class LSTMCell : RNNCellBase<LSTMState>
{
    /// <summary>Creates the cell with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden and cell states; positive.</param>
    /// <param name="bias">Whether the cell has biases.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(4, inputSize, hiddenSize, bias, generator)
    {
    }

    /// <summary>The next states from <paramref name="input1"/> ([N, Hin] or [Hin]) and <paramref name="input2"/> (h and c, [N, H] or [H]; zeros when null).</summary>
    /// <param name="input1">The input.</param>
    /// <param name="input2">The hidden and cell states, or null.</param>
    /// <returns>(h', c'), each [N, H] (or [H] when unbatched).</returns>
    public override LSTMState Forward(Tensor input1, LSTMState? input2)
    {
        (Tensor x, Tensor[] states, bool batched) = Prepare(input1, input2 is null ? null : [input2.H, input2.C], 2);
        (Tensor h, Tensor c) = Recurrence.Lstm(Project(x), states[0], states[1], WeightHh, BiasHh);
        return batched ? new LSTMState(h, c) : new LSTMState(h.Squeeze(0), c.Squeeze(0));
    }
}

/// <summary>
/// One GRU step (PyTorch's <c>nn.GRUCell</c>), gates in the order r, z, n:
/// <c>n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn))</c>, <c>h' = (1 − z)⊙n + z⊙h</c>.
/// </summary>
public sealed class GRUCell : RNNCellBase<Tensor>
{
    /// <summary>Creates the cell with PyTorch's initialisation (every parameter from U(±1/√hiddenSize)).</summary>
    /// <param name="inputSize">Size of the input's last dimension.</param>
    /// <param name="hiddenSize">Size of the hidden state; positive.</param>
    /// <param name="bias">Whether the cell has biases.</param>
    /// <param name="generator">Source of the initial values; the global generator when null.</param>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(3, inputSize, hiddenSize, bias, generator)
    {
    }

    /// <summary>The next hidden state from <paramref name="input1"/> ([N, Hin] or [Hin]) and <paramref name="input2"/> (h, [N, H] or [H]; zeros when null).</summary>
    /// <param name="input1">The input.</param>
    /// <param name="input2">The hidden state, or null.</param>
    /// <returns>h', [N, H] (or [H] when unbatched).</returns>
    public override Tensor Forward(Tensor input1, Tensor? input2)
    {
        (Tensor x, Tensor[] states, bool batched) = Prepare(input1, input2 is null ? null : [input2], 1);
        Tensor h = Recurrence.Gru(Project(x), states[0], WeightHh, BiasHh);
        return batched ? h : h.Squeeze(0);
    }
}
