namespace Autograd;

/// <summary>
/// PyTorch's <c>torch.autograd.functional</c>: Jacobians, Hessians and the products with them, for functions of one
/// or several tensors, computed by reverse-mode passes through <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool?, bool)"/>.
/// </summary>
/// <remarks>
/// Inputs are used through fresh aliases that require grad, so the function's graph never reaches the caller's
/// leaves, and results are cut from the graph unless <c>createGraph</c>. With <c>strict</c>, an output independent of
/// an input raises (as PyTorch's) instead of giving zeros. Jacobians take one backward pass per output element.
/// </remarks>
public static partial class Autodiff
{
    /// <summary>The Jacobian of <paramref name="function"/> at <paramref name="input"/>: shape output.shape + input.shape, J[i…, j…] = ∂yᵢ/∂xⱼ.</summary>
    public static Tensor Jacobian(Func<Tensor, Tensor> function, Tensor input, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Jacobian(t => [function(t[0])], [input], createGraph, strict)[0, 0];
    }

    /// <summary>The Jacobians of a function of several tensors with one output: one per input.</summary>
    public static Tensor[] Jacobian(Func<Tensor[], Tensor> function, Tensor[] inputs, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[,] all = Jacobian(t => [function(t)], inputs, createGraph, strict);
        return [.. Enumerable.Range(0, inputs.Length).Select(j => all[0, j])];
    }

    /// <summary>
    /// The Jacobians of a function of several tensors with several outputs: element [i, j] is ∂outputᵢ/∂inputⱼ, of shape
    /// outputᵢ.shape + inputⱼ.shape.
    /// </summary>
    public static Tensor[,] Jacobian(Func<Tensor[], Tensor[]> function, Tensor[] inputs, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[] xs = Prepare(inputs, createGraph);
        Tensor[] outputs;
        using (GradMode.EnableGrad())
        {
            outputs = function(xs) ?? throw new InvalidOperationException("The function given to jacobian returned null");
        }

        var result = new Tensor[outputs.Length, xs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            Tensor output = outputs[i];
            int n = output.Count;
            var rows = new Tensor[xs.Length][];
            for (int j = 0; j < xs.Length; j++)
            {
                rows[j] = new Tensor[n];
            }

            for (int k = 0; k < n; k++)
            {
                Tensor?[] grads = output.RequiresGrad
                    ? Grad([output], xs, [OneHot(output, k)], retainGraph: true, createGraph: createGraph, allowUnused: true)
                    : new Tensor?[xs.Length];
                for (int j = 0; j < xs.Length; j++)
                {
                    if (grads[j] is null && strict)
                    {
                        throw new InvalidOperationException(
                            $"Output {i} of the user-provided function is independent of input {j}. This is not allowed in strict mode.");
                    }

                    rows[j][k] = grads[j] ?? Tensor.ZerosLike(xs[j]);
                }
            }

            for (int j = 0; j < xs.Length; j++)
            {
                int[] shape = [.. output.Shape, .. xs[j].Shape];
                Tensor stacked = n == 0 ? Tensor.ZerosLike(xs[j]).Reshape([0, .. xs[j].Shape]) : Tensor.Stack(rows[j]);
                result[i, j] = Finish(stacked.Reshape(shape), createGraph);
            }
        }

        return result;
    }

    /// <summary>The Hessian of a scalar function at <paramref name="input"/>: shape input.shape + input.shape.</summary>
    public static Tensor Hessian(Func<Tensor, Tensor> function, Tensor input, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Hessian(t => function(t[0]), [input], createGraph, strict)[0, 0];
    }

    /// <summary>The Hessian blocks of a scalar function of several tensors: element [i, j] is ∂²f/∂xᵢ∂xⱼ.</summary>
    public static Tensor[,] Hessian(Func<Tensor[], Tensor> function, Tensor[] inputs, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Jacobian(
            xs =>
            {
                Tensor output = ScalarOutput(function(xs), "hessian");
                Tensor?[] grads = output.RequiresGrad
                    ? Grad([output], xs, null, retainGraph: true, createGraph: true, allowUnused: true)
                    : new Tensor?[xs.Length];
                return [.. grads.Select((g, j) => strict && g is null
                    ? throw new InvalidOperationException($"The output of the user-provided function is independent of input {j}. This is not allowed in strict mode.")
                    : g ?? Tensor.ZerosLike(xs[j]))];
            },
            inputs,
            createGraph,
            strict);
    }

    /// <summary>
    /// The function's output and the vector-Jacobian product vᵀ·J at <paramref name="input"/> (v may be null for a
    /// one-element output).
    /// </summary>
    public static (Tensor Output, Tensor Vjp) Vjp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        (Tensor output, Tensor[] vjp) = Vjp(t => function(t[0]), [input], v, createGraph, strict);
        return (output, vjp[0]);
    }

    /// <summary>The output and vᵀ·J for each input of a function of several tensors.</summary>
    public static (Tensor Output, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[] xs = Prepare(inputs, createGraph);
        Tensor output;
        using (GradMode.EnableGrad())
        {
            output = function(xs);
        }

        CheckV(v, output, "vjp", "v has invalid size: should be");
        Tensor?[] grads = output.RequiresGrad
            ? Grad([output], xs, [v], retainGraph: createGraph, createGraph: createGraph, allowUnused: true)
            : new Tensor?[xs.Length];
        return (Finish(output, createGraph), Materialize(grads, xs, strict, createGraph));
    }

    /// <summary>
    /// The function's output and the Jacobian-vector product J·v at <paramref name="input"/>, by the double-backward
    /// trick: J·v = ∂(uᵀJ)/∂u · v for a dummy u.
    /// </summary>
    public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        (Tensor output, Tensor jvp) = Jvp(t => function(t[0]), [input], v is null ? null : [v], createGraph, strict);
        return (output, jvp);
    }

    /// <summary>The output and Σⱼ Jⱼ·vⱼ of a function of several tensors, one tangent per input.</summary>
    public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor[]? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[] xs = Prepare(inputs, createGraph);
        Tensor[] tangents = v ?? (xs.All(x => x.Count == 1) ? [.. xs.Select(x => Tensor.OnesLike(x))] :
            throw new ArgumentException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.", nameof(v)));
        if (tangents.Length != xs.Length)
        {
            throw new ArgumentException($"v has {tangents.Length} tensors for {xs.Length} inputs", nameof(v));
        }

        for (int j = 0; j < xs.Length; j++)
        {
            CheckV(tangents[j], xs[j], "jvp", "The given v should contain Tensors of the same size as inputs:");
        }

        Tensor output;
        using (GradMode.EnableGrad())
        {
            output = function(xs);
        }

        if (!output.RequiresGrad)
        {
            return strict
                ? throw new InvalidOperationException("The output of the user-provided function is independent of input 0. This is not allowed in strict mode.")
                : (Finish(output, createGraph), Tensor.ZerosLike(output));
        }

        var u = Tensor.ZerosLike(output, requiresGrad: true);
        Tensor?[] vjps = Grad([output], xs, [u], retainGraph: true, createGraph: true, allowUnused: true);
        var present = new List<Tensor>();
        var heads = new List<Tensor?>();
        for (int j = 0; j < xs.Length; j++)
        {
            if (vjps[j] is { RequiresGrad: true } g)
            {
                present.Add(g);
                heads.Add(tangents[j]);
            }
            else if (strict && vjps[j] is null)
            {
                throw new InvalidOperationException($"The output of the user-provided function is independent of input {j}. This is not allowed in strict mode.");
            }
        }

        Tensor? jvp = present.Count == 0 ? null : Grad(present, [u], heads, retainGraph: createGraph, createGraph: createGraph, allowUnused: true)[0];
        return (Finish(output, createGraph), Finish(jvp ?? Tensor.ZerosLike(output), createGraph));
    }

    /// <summary>The output of a scalar function and the vector-Hessian product vᵀ·H at <paramref name="input"/>.</summary>
    public static (Tensor Output, Tensor Vhp) Vhp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[] xs = Prepare([input], createGraph);
        Tensor output;
        using (GradMode.EnableGrad())
        {
            output = ScalarOutput(function(xs[0]), "vhp");
        }

        Tensor tangent = v ?? (input.Count == 1 ? Tensor.OnesLike(input) :
            throw new ArgumentException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.", nameof(v)));
        CheckV(tangent, input, "vhp", "v has invalid size: should be");
        Tensor? g = output.RequiresGrad ? Grad([output], xs, null, retainGraph: true, createGraph: true, allowUnused: true)[0] : null;
        Tensor? vhp = g is { RequiresGrad: true } ? Grad([g], xs, [tangent], retainGraph: createGraph, createGraph: createGraph, allowUnused: true)[0] : null;
        if (vhp is null && strict)
        {
            throw new InvalidOperationException("The jacobian of the user-provided function is independent of input 0. This is not allowed in strict mode.");
        }

        return (Finish(output, createGraph), Finish(vhp ?? Tensor.ZerosLike(xs[0]), createGraph));
    }

    /// <summary>
    /// The output of a scalar function and the Hessian-vector product H·v at <paramref name="input"/> (equal to vᵀ·H
    /// for functions with continuous second derivatives), by the double-backward trick, as PyTorch computes it.
    /// </summary>
    public static (Tensor Output, Tensor Hvp) Hvp(Func<Tensor, Tensor> function, Tensor input, Tensor? v = null, bool createGraph = false, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        Tensor[] xs = Prepare([input], createGraph);
        Tensor output;
        using (GradMode.EnableGrad())
        {
            output = ScalarOutput(function(xs[0]), "hvp");
        }

        Tensor tangent = v ?? (input.Count == 1 ? Tensor.OnesLike(input) :
            throw new ArgumentException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.", nameof(v)));
        CheckV(tangent, input, "hvp", "v has invalid size: should be");
        Tensor? g = output.RequiresGrad ? Grad([output], xs, null, retainGraph: true, createGraph: true, allowUnused: true)[0] : null;
        Tensor? hvp = null;
        if (g is { RequiresGrad: true })
        {
            // With g = ∇f, Grad(g, x, u) = Hᵀ·u, linear in u; its vector-Jacobian product in u with v is (Hᵀ)ᵀ·v = H·v.
            var u = Tensor.ZerosLike(xs[0], requiresGrad: true);
            Tensor? hu = Grad([g], xs, [u], retainGraph: true, createGraph: true, allowUnused: true)[0];
            hvp = hu is { RequiresGrad: true } ? Grad([hu], [u], [tangent], retainGraph: createGraph, createGraph: createGraph, allowUnused: true)[0] : null;
        }

        if (hvp is null && strict)
        {
            throw new InvalidOperationException("The jacobian of the user-provided function is independent of input 0. This is not allowed in strict mode.");
        }

        return (Finish(output, createGraph), Finish(hvp ?? Tensor.ZerosLike(xs[0]), createGraph));
    }

    private static Tensor[] Prepare(Tensor[] inputs, bool createGraph)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var xs = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            Tensor input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs));
            if (!input.DType.IsFloatingPoint())
            {
                throw new ArgumentException($"only Tensors of floating point dtype can require gradients, but input {i} is {input.DType.TorchName()}", nameof(inputs));
            }

            if (createGraph && input.RequiresGrad)
            {
                using (GradMode.EnableGrad())
                {
                    xs[i] = input.ViewAs(input);   // keeps the caller's graph, so the result differentiates further
                }
            }
            else
            {
                xs[i] = input.Detach();
                xs[i].RequiresGrad = true;
            }
        }

        return xs;
    }

    private static Tensor[] Materialize(Tensor?[] grads, Tensor[] xs, bool strict, bool createGraph)
    {
        var result = new Tensor[grads.Length];
        for (int j = 0; j < grads.Length; j++)
        {
            if (grads[j] is null && strict)
            {
                throw new InvalidOperationException($"The output of the user-provided function is independent of input {j}. This is not allowed in strict mode.");
            }

            result[j] = Finish(grads[j] ?? Tensor.ZerosLike(xs[j]), createGraph);
        }

        return result;
    }

    private static Tensor Finish(Tensor t, bool createGraph) => createGraph ? t : t.Detach();

    private static Tensor OneHot(Tensor output, int k)
    {
        Tensor head = Tensor.ZerosLike(output, output.DType);
        using (GradMode.NoGrad())
        {
            head.Reshape(-1)[(TensorIndex)k].Fill(1);
        }

        return head;
    }

    private static Tensor ScalarOutput(Tensor output, string function) =>
        output?.Count == 1 ? output : throw new InvalidOperationException($"The Tensor returned by the function given to {function} should contain a single element");

    private static void CheckV(Tensor? v, Tensor like, string function, string message)
    {
        if (v is null)
        {
            if (like.Count != 1)
            {
                throw new ArgumentException($"The vector v can only be None if the user-provided function returns a single Tensor with a single element.", nameof(v));
            }

            return;
        }

        if (!v.Shape.ToArray().AsSpan().SequenceEqual(like.Shape.ToArray()))
        {
            throw new ArgumentException($"Mismatch in shape for {function}: {message} {like.Shape} but got {v.Shape}", nameof(v));
        }
    }
}
