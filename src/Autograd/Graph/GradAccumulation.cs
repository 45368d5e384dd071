using System.Numerics.Tensors;

namespace Autograd;

/// <summary>
/// Lets a built-in node add its product straight into the gradient an input already holds: <c>c += a·b</c> in one
/// pass (a fused multiply-add, or a GEMM that accumulates), instead of returning the product for the engine to add in a
/// second pass over a temporary. The targets are a leaf's existing <see cref="Tensor.Grad"/> (a training loop that
/// zeroes gradients in place, or accumulates over several passes) and a node's pending gradient that only the engine
/// references. The engine offers them just before <see cref="Node.Apply"/>, only to built-in nodes and only when no
/// graph of the backward pass is recorded (through <see cref="GraphTask.OffersFor"/>), and delivers nothing more for an
/// input a node accumulated.
/// </summary>
/// <remarks>
/// Measured alternating in one process (median of 30 rounds of 100 steps): the mlp step with <c>Optim.SGD</c>, whose
/// <c>ZeroGrad</c> keeps the gradients, took 589.5 µs instead of 633.0 µs on one thread and 593.5 µs instead of
/// 616.7 µs on two; the mlp step that resets gradients to null has nothing to accumulate into and was unchanged.
/// <para>
/// A fused multiply-add rounds once where the product and the sum rounded separately, so a gradient accumulated here
/// can differ from the unfused one in its last bit; it is the same on every run and thread count. A GEMM that
/// accumulates adds each K-block's sum to the target, which for K up to the kernel's block (512) is the unfused
/// result bit for bit.
/// </para>
/// </remarks>
internal sealed class GradAccumulation
{
    [ThreadStatic]
    private static GradAccumulation? t_current;

    [ThreadStatic]
    private static long t_fusedCount;

    private Tensor?[] _targets = new Tensor?[4];
    private AccumulateGrad?[] _sinks = new AccumulateGrad?[4];
    private bool[] _accumulated = new bool[4];

    /// <summary>How many gradients nodes on this thread have accumulated themselves (for tests).</summary>
    internal static long FusedCount => t_fusedCount;

    /// <summary>
    /// This thread's offers. The engine fetches it once per pass and opens it to each node it runs (see
    /// <see cref="GraphTask.ApplyOwned"/>); a pass runs on one thread, so two passes never share it.
    /// </summary>
    internal static GradAccumulation ForThisThread() => t_current ??= new GradAccumulation();

    /// <summary>Clears the offers for a node with <paramref name="inputs"/> inputs (called by the engine).</summary>
    internal void Prepare(int inputs)
    {
        if (_targets.Length < inputs)
        {
            _targets = new Tensor?[inputs];
            _sinks = new AccumulateGrad?[inputs];
            _accumulated = new bool[inputs];
            return;
        }

        Array.Clear(_targets, 0, inputs);
        Array.Clear(_sinks, 0, inputs);
        Array.Clear(_accumulated, 0, inputs);
    }

    /// <summary>Offers <paramref name="target"/> for input <paramref name="input"/>; <paramref name="sink"/> is the leaf's, if any.</summary>
    internal void Offer(int input, Tensor target, AccumulateGrad? sink)
    {
        _targets[input] = target;
        _sinks[input] = sink;
    }

    /// <summary>Whether the node accumulated input <paramref name="input"/>'s gradient itself (read by the engine after Apply).</summary>
    internal bool Accumulated(int input) => _accumulated[input];

    /// <summary>Drops the offers once the node has run, so no later node sees them.</summary>
    internal void Withdraw(int inputs)
    {
        Array.Clear(_targets, 0, inputs);
        Array.Clear(_sinks, 0, inputs);
    }

    /// <summary>
    /// <c>target += grad ⊙ factor</c> for input <paramref name="input"/>'s offered target, when the shapes need no
    /// broadcasting. Returns the target when done, or null when there is nothing to accumulate into.
    /// </summary>
    internal Tensor? MultiplyInto(int input, Tensor grad, Tensor factor)
    {
        if (Offered(input) is not { } target || !factor.IsContiguous || !SameShape(factor, target)
            || factor._dtype != DType.Float32 || grad._dtype != DType.Float32 || factor.Storage == target.Storage || grad.Storage == target.Storage)
        {
            return null;
        }

        bool uniform = grad.IsUniform(out float scale);
        return uniform || (grad.IsContiguous && SameShape(grad, target))
            ? Accumulate(input, target, new MultiplyKernel(grad, uniform, scale, factor))
            : null;
    }

    /// <summary><c>target += grad·factor</c> for a constant factor (a tensor times a number).</summary>
    internal Tensor? MultiplyInto(int input, Tensor grad, float factor) =>
        Offered(input) is { } target && grad._dtype == DType.Float32 && SameShape(grad, target) && grad.Storage != target.Storage
            && (grad.IsContiguous || grad.IsUniform(out _))
            ? Accumulate(input, target, new ScaleKernel(grad, factor))
            : null;

    /// <summary>
    /// <c>target += Σ_rows grad</c> for a contiguous 2-d <paramref name="grad"/> [rows, n] and a target [n]: a bias's
    /// gradient added row by row, with no temporary for the row sum.
    /// </summary>
    internal Tensor? SumRowsInto(int input, Tensor grad) =>
        Offered(input) is { } target && grad.Rank == 2 && grad.IsContiguous && target.Rank == 1
            && target._shape[0] == grad._shape[1] && grad._dtype == DType.Float32 && grad.Storage != target.Storage
            ? Accumulate(input, target, new RowsKernel(grad))
            : null;

    /// <summary><c>target += a·b</c> (matrix product) for 2-d operands, through a GEMM that accumulates into the target.</summary>
    internal Tensor? MatMulInto(int input, Tensor a, Tensor b) =>
        Offered(input) is { } target && a.Rank == 2 && b.Rank == 2 && target.Rank == 2
            && target._shape[0] == a._shape[0] && target._shape[1] == b._shape[1]
            ? Accumulate(input, target, new MatMulKernel(a, b))
            : null;

    /// <summary>
    /// Runs <paramref name="kernel"/> on <paramref name="target"/>: directly for a pending gradient, and under the
    /// leaf's lock for a leaf's, after checking the leaf still holds that tensor (another thread's pass may have
    /// replaced it), with a version bump as any in-place change. Null when it could not run.
    /// </summary>
    private Tensor? Accumulate<TKernel>(int input, Tensor target, TKernel kernel)
        where TKernel : struct, IAccumulationKernel
    {
        AccumulateGrad? sink = _sinks[input];
        if (sink is null)
        {
            return kernel.Run(target) ? Done(input, target) : null;
        }

        lock (sink.Gate)
        {
            if (!ReferenceEquals(sink.Variable.Grad, target) || !kernel.Run(target))
            {
                return null;
            }

            target.BumpVersion();
        }

        return Done(input, target);
    }

    private Tensor? Offered(int input) =>
        input < _targets.Length && !GradMode.IsEnabled && _targets[input] is { _dtype: DType.Float32 } target ? target : null;

    private Tensor Done(int input, Tensor target)
    {
        _targets[input] = null;
        _sinks[input] = null;
        _accumulated[input] = true;
        t_fusedCount++;
        return target;
    }

    private static bool SameShape(Tensor a, Tensor b) => a._shape.AsSpan().SequenceEqual(b._shape);

    /// <summary>One way of adding into a gradient in place; false when it does not apply to the operands after all.</summary>
    private interface IAccumulationKernel
    {
        bool Run(Tensor target);
    }

    /// <summary>target += grad ⊙ factor, one rounding; a uniform grad is its one value times factor.</summary>
    private readonly struct MultiplyKernel(Tensor grad, bool uniform, float scale, Tensor factor) : IAccumulationKernel
    {
        public bool Run(Tensor target)
        {
            Span<float> c = target.AsSpan();
            if (uniform)
            {
                Kernels.FusedBackward.MultiplyAdd(factor.AsReadOnlySpan(), scale, c, c);
            }
            else
            {
                TensorPrimitives.FusedMultiplyAdd(grad.AsReadOnlySpan(), factor.AsReadOnlySpan(), c, c);
            }

            return true;
        }
    }

    /// <summary>target += grad·factor for a constant factor.</summary>
    private readonly struct ScaleKernel(Tensor grad, float factor) : IAccumulationKernel
    {
        public bool Run(Tensor target)
        {
            Span<float> c = target.AsSpan();
            if (grad.IsUniform(out float value))
            {
                // One value broadcast (a sum's gradient): the unfused path rounded value·factor once and added it.
                TensorPrimitives.Add(c, value * factor, c);
                return true;
            }

            Kernels.FusedBackward.MultiplyAdd(grad.AsReadOnlySpan(), factor, c, c);
            return true;
        }
    }

    /// <summary>target += Σ_rows grad, row by row.</summary>
    private readonly struct RowsKernel(Tensor grad) : IAccumulationKernel
    {
        public bool Run(Tensor target)
        {
            Span<float> c = target.AsSpan();
            ReadOnlySpan<float> rows = grad.AsReadOnlySpan();
            for (int offset = 0; offset < rows.Length; offset += c.Length)
            {
                TensorPrimitives.Add(c, rows.Slice(offset, c.Length), c);
            }

            return true;
        }
    }

    /// <summary>target += a·b through a GEMM that accumulates; false for operands it does not take (see MatMulAccumulate).</summary>
    private readonly struct MatMulKernel(Tensor a, Tensor b) : IAccumulationKernel
    {
        public bool Run(Tensor target) => Tensor.MatMulAccumulate(a, b, target);
    }
}
