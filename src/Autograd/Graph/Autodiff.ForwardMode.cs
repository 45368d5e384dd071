namespace Autograd;

/// <summary>
/// Forward-mode AD with PyTorch's <c>torch.autograd.forward_ad</c> surface: <see cref="DualLevel"/>,
/// <see cref="MakeDual"/>, <see cref="UnpackDual"/>.
/// </summary>
/// <remarks>
/// <para>
/// A dual tensor is the primal with a tangent attached. Ops on dual tensors record their graph as usual, and
/// <see cref="UnpackDual"/> computes the tangent of a result, J·t, from that graph by the double-vector-Jacobian trick:
/// with u a dummy cotangent, uᵀJ = Grad(y, x, u) is linear in u, and J·t = Grad(uᵀJ, u, t). So every op with a
/// differentiable backward formula has its forward derivative, with no second set of rules to keep in step with the
/// first; an op whose backward is not differentiable (a once-differentiable <see cref="CustomFunction"/>) raises its
/// error when a tangent is unpacked through it.
/// </para>
/// <para>
/// Differences from PyTorch: each unpack costs two reverse passes over the graph between the duals and the result
/// (PyTorch's forward rules cost one extra evaluation per op, as the forward runs); the dual tensors take part in
/// recording, so they report <c>RequiresGrad</c> and ops on them inside <see cref="GradMode.NoGrad"/> carry no
/// tangent.
/// </para>
/// </remarks>
public static partial class Autodiff
{
    private static readonly AsyncLocal<DualLevelScope?> s_dualLevel = new();

    /// <summary>Opens a dual level (PyTorch's <c>fwAD.dual_level()</c>): tangents made in it are dropped when it is disposed.</summary>
    public static IDisposable DualLevel()
    {
        if (s_dualLevel.Value is { IsOpen: true })
        {
            throw new InvalidOperationException("Nested forward mode AD is not supported at the moment");
        }

        var level = new DualLevelScope();
        s_dualLevel.Value = level;
        return level;
    }

    /// <summary>
    /// A tensor with the value of <paramref name="primal"/> and the tangent <paramref name="tangent"/> (PyTorch's
    /// <c>fwAD.make_dual</c>); only inside a <see cref="DualLevel"/>.
    /// </summary>
    public static Tensor MakeDual(Tensor primal, Tensor tangent)
    {
        ArgumentNullException.ThrowIfNull(primal);
        ArgumentNullException.ThrowIfNull(tangent);
        DualLevelScope level = s_dualLevel.Value is { IsOpen: true } open
            ? open
            : throw new InvalidOperationException("To create a dual Tensor, you need to be in a dual level context. Make sure to use the dual_level() context manager.");
        if (!primal.DType.IsFloatingPoint())
        {
            throw new ArgumentException("Expected primal to be floating point or complex, but got: " + primal.DType.TorchName(), nameof(primal));
        }

        if (!tangent.Shape.ToArray().AsSpan().SequenceEqual(primal.Shape.ToArray()))
        {
            throw new ArgumentException(
                $"Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. Tensor is of size {primal.Shape} while the given forward gradient is of size {tangent.Shape}.",
                nameof(tangent));
        }

        Tensor dual;
        if (primal.RequiresGrad)
        {
            using (GradMode.EnableGrad())
            {
                dual = primal.ViewAs(primal);   // keeps the primal's own history for reverse mode
            }
        }
        else
        {
            dual = primal.Detach();
            dual.RequiresGrad = true;
        }

        level.Add(dual, tangent.DType == primal.DType ? tangent.Detach() : tangent.Detach().To(primal.DType));
        return dual;
    }

    /// <summary>
    /// The primal and tangent of <paramref name="tensor"/> (PyTorch's <c>fwAD.unpack_dual</c>): the tangent is J·t
    /// propagated from the duals of the current level, or null when <paramref name="tensor"/> depends on none.
    /// </summary>
    public static (Tensor Primal, Tensor? Tangent) UnpackDual(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (s_dualLevel.Value is not { IsOpen: true } level || level.Duals.Count == 0)
        {
            return (tensor, null);
        }

        if (level.TangentOf(tensor) is { } own)
        {
            return (tensor, own);
        }

        if (!tensor.RequiresGrad || !tensor.DType.IsFloatingPoint())
        {
            return (tensor, null);
        }

        Tensor[] duals = [.. level.Duals.Select(d => d.Dual)];
        var u = Tensor.ZerosLike(tensor, requiresGrad: true);
        Tensor?[] vjps = Grad([tensor], duals, [u], retainGraph: true, createGraph: true, allowUnused: true);
        var linear = new List<Tensor>();
        var tangents = new List<Tensor?>();
        for (int i = 0; i < duals.Length; i++)
        {
            if (vjps[i] is { RequiresGrad: true } g)
            {
                linear.Add(g);
                tangents.Add(level.Duals[i].Tangent);
            }
        }

        if (linear.Count == 0)
        {
            bool depends = vjps.Any(v => v is not null);
            return (tensor, depends ? Tensor.ZerosLike(tensor) : null);
        }

        Tensor? jvp = Grad(linear, [u], tangents, retainGraph: true, allowUnused: true)[0];
        return (tensor, (jvp ?? Tensor.ZerosLike(tensor)).Detach());
    }

    private sealed class DualLevelScope : IDisposable
    {
        internal List<(Tensor Dual, Tensor Tangent)> Duals { get; } = [];

        internal bool IsOpen { get; private set; } = true;

        internal void Add(Tensor dual, Tensor tangent) => Duals.Add((dual, tangent));

        internal Tensor? TangentOf(Tensor tensor)
        {
            foreach ((Tensor dual, Tensor tangent) in Duals)
            {
                if (ReferenceEquals(dual, tensor))
                {
                    return tangent;
                }
            }

            return null;
        }

        public void Dispose()
        {
            IsOpen = false;
            Duals.Clear();
            if (ReferenceEquals(s_dualLevel.Value, this))
            {
                s_dualLevel.Value = null;
            }
        }
    }
}
