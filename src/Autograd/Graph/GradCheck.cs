using System.Globalization;

namespace Autograd;

/// <summary>The outcome of <see cref="GradCheck.Check"/>: whether every Jacobian entry matched, and the first that did not.</summary>
/// <param name="Passed">True when analytical and numerical Jacobians agree within tolerance everywhere.</param>
/// <param name="Message">A report naming the first mismatching entry, or a summary of what was checked.</param>
/// <param name="EntriesChecked">How many Jacobian entries were compared.</param>
public sealed record GradCheckResult(bool Passed, string Message, int EntriesChecked);

/// <summary>
/// Compares the gradients computed by backward passes with central finite differences, entry by entry of the
/// Jacobian (PyTorch's <c>torch.autograd.gradcheck</c>).
/// </summary>
/// <remarks>
/// The analytical Jacobian is built row by row with one-hot output gradients; the numerical one with
/// <c>(f(x + h) − f(x − h)) / (2h)</c> per input element. Tensors are float32, so the function is evaluated in
/// float32, but the step actually taken (after rounding x ± h to float) and all differences and ratios are computed
/// in double, which removes the representation error of the step from the estimate. The defaults (h = 1e-3,
/// atol = 1e-3, rtol = 1e-2) suit float32 functions whose values are of order one.
/// <para>
/// When every floating-point input is float64, the function is evaluated in float64 and the defaults are PyTorch's
/// (eps = 1e-6, atol = 1e-5, rtol = 1e-3), with PyTorch's criterion |a − n| ≤ atol + rtol·|n|. Central differences
/// have truncation error O(h²·f‴) ≈ 1e-12 and rounding error O(ε_f64·|f| / h) ≈ 1e-10, both far below atol, so a
/// float64 check fails only on a wrong formula: an error of 1e-4 relative, invisible in float32, is caught.
/// </para>
/// </remarks>
public static class GradCheck
{
    /// <summary>Checks the gradients of <paramref name="function"/> with respect to every input that requires grad.</summary>
    /// <param name="function">The function to check; it must be deterministic.</param>
    /// <param name="inputs">Inputs; those with <see cref="Tensor.RequiresGrad"/> are differentiated. They are not modified.</param>
    /// <param name="eps">The finite-difference step, scaled by max(1, |x|) per element (default 1e-3, or 1e-6 in float64).</param>
    /// <param name="atol">Absolute tolerance (default 1e-3, or 1e-5 in float64).</param>
    /// <param name="rtol">Relative tolerance, relative to the numerical value (default 1e-2, or 1e-3 in float64).</param>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, double? eps = null, double? atol = null, double? rtol = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        bool float64 = IsFloat64(inputs);
        return CheckCore(
            function, inputs, eps ?? (float64 ? 1e-6 : 1e-3), atol ?? (float64 ? 1e-5 : 1e-3), rtol ?? (float64 ? 1e-3 : 1e-2));
    }

    /// <summary>
    /// Whether the check runs in float64: every floating-point input is float64 (integer inputs such as class
    /// targets do not count, and are never perturbed).
    /// </summary>
    private static bool IsFloat64(IReadOnlyList<Tensor> inputs)
    {
        bool any = false;
        foreach (Tensor input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.DType.IsFloatingPoint())
            {
                if (input.DType != DType.Float64)
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private static GradCheckResult CheckCore(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, double eps, double atol, double rtol)
    {
        if (!(eps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), "eps must be positive.");
        }

        Tensor[] leaves = new Tensor[inputs.Count];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = inputs[i].Detach().CloneData();
            leaves[i].RequiresGrad = inputs[i].RequiresGrad;
        }

        if (!Array.Exists(leaves, l => l.RequiresGrad))
        {
            throw new ArgumentException("gradcheck expects at least one input tensor to require gradient.", nameof(inputs));
        }

        Tensor output = function(leaves);
        int outputCount = output.Count;
        double[][][] analytical = AnalyticalJacobian(output, leaves);
        int checkedEntries = 0;
        for (int i = 0; i < leaves.Length; i++)
        {
            if (!leaves[i].RequiresGrad)
            {
                continue;
            }

            Tensor leaf = leaves[i];
            for (int e = 0; e < leaf.Count; e++)
            {
                double[] numerical = leaf.DType == DType.Float64 ? NumericalColumn64(function, leaves, leaf, e, eps) : NumericalColumn(function, leaves, leaf, e, eps);
                for (int j = 0; j < outputCount; j++)
                {
                    checkedEntries++;
                    double a = analytical[i][j][e], n = numerical[j];
                    if (!(Math.Abs(a - n) <= atol + (rtol * Math.Abs(n))))
                    {
                        string message = string.Format(
                            CultureInfo.InvariantCulture,
                            "Jacobian mismatch for output {0} with respect to input {1} (shape {2}) at element {3}: numerical {4:G9}, analytical {5:G9}, difference {6:G3} exceeds atol {7:G3} + rtol {8:G3} x |numerical|.",
                            j, i, leaf.Shape, FormatIndex(leaf.Shape, e), n, a, Math.Abs(a - n), atol, rtol);
                        return new GradCheckResult(false, message, checkedEntries);
                    }
                }
            }
        }

        return new GradCheckResult(true, $"All {checkedEntries} Jacobian entries match.", checkedEntries);
    }

    /// <summary>Like <see cref="Check"/>, but throws <see cref="InvalidOperationException"/> with the report on a mismatch.</summary>
    public static void Assert(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, double? eps = null, double? atol = null, double? rtol = null)
    {
        GradCheckResult result = Check(function, inputs, eps, atol, rtol);
        if (!result.Passed)
        {
            throw new InvalidOperationException(result.Message);
        }
    }

    /// <summary>
    /// Checks second derivatives (PyTorch's <c>gradgradcheck</c>): the first-order gradients of
    /// <paramref name="function"/>, contracted with fixed random output gradients and computed with <c>createGraph</c>,
    /// are themselves checked against finite differences, so every backward formula is verified to be differentiable
    /// and right.
    /// </summary>
    /// <param name="function">The function whose backward is checked.</param>
    /// <param name="inputs">Inputs; those that require grad are differentiated twice.</param>
    /// <param name="gradOutputs">The output gradient to contract with (default: uniform in [-1, 1) from a fixed seed, of the output's dtype).</param>
    /// <param name="eps">The finite-difference step (defaults as <see cref="Check"/>).</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    public static GradCheckResult GradGradCheck(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, Tensor? gradOutputs = null, double? eps = null, double? atol = null, double? rtol = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        Tensor? head = gradOutputs;
        int[] positions = [.. Enumerable.Range(0, inputs.Count).Where(i => inputs[i].RequiresGrad)];
        Tensor FirstOrder(Tensor[] xs)
        {
            // The finite-difference evaluations pass perturbed copies that need no grad, under no-grad: the first
            // derivative is still taken, through aliases that require it.
            using GradMode.Scope recording = GradMode.EnableGrad();
            Tensor[] args = [.. xs];
            foreach (int i in positions)
            {
                if (!args[i].RequiresGrad)
                {
                    args[i] = args[i].Detach();
                    args[i].RequiresGrad = true;
                }
            }

            Tensor output = function(args);
            head ??= Tensor.Uniform([.. output.Shape], -1, 1, output.DType, generator: new Generator(20261202));
            Tensor[] differentiable = [.. positions.Select(i => args[i])];
            Tensor?[] grads = output.RequiresGrad
                ? Autodiff.Grad([output], differentiable, [head], createGraph: true, allowUnused: true)
                : new Tensor?[differentiable.Length];
            return Tensor.Cat([.. grads.Select((g, i) => (g ?? Tensor.ZerosLike(differentiable[i])).Reshape(-1))]);
        }

        return Check(FirstOrder, inputs, eps, atol, rtol);
    }

    /// <summary>Like <see cref="GradGradCheck"/>, but throws <see cref="InvalidOperationException"/> with the report on a mismatch.</summary>
    public static void AssertGradGrad(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, Tensor? gradOutputs = null, double? eps = null, double? atol = null, double? rtol = null)
    {
        GradCheckResult result = GradGradCheck(function, inputs, gradOutputs, eps, atol, rtol);
        if (!result.Passed)
        {
            throw new InvalidOperationException(result.Message);
        }
    }

    /// <summary>[input][output element][input element] from one backward pass per output element.</summary>
    private static double[][][] AnalyticalJacobian(Tensor output, Tensor[] leaves)
    {
        var jacobian = new double[leaves.Length][][];
        for (int i = 0; i < leaves.Length; i++)
        {
            jacobian[i] = new double[output.Count][];
        }

        for (int j = 0; j < output.Count; j++)
        {
            foreach (Tensor leaf in leaves)
            {
                leaf.Grad = null;
            }

            if (output.RequiresGrad)
            {
                Tensor oneHot;
                if (output.DType == DType.Float32)
                {
                    oneHot = Tensor.ZerosLike(output);
                    oneHot.Data[j] = 1f;
                }
                else
                {
                    var values = new double[output.Count];
                    values[j] = 1.0;
                    oneHot = Tensor.From(values, output.Shape.ToArray()).ConvertedTo(output.DType);
                }

                output.Backward(oneHot, retainGraph: true);
            }

            for (int i = 0; i < leaves.Length; i++)
            {
                // Read in the gradient's own precision: a float64 gradient is compared with all its bits.
                jacobian[i][j] = leaves[i].Grad?.ToArray<double>() ?? new double[leaves[i].Count];
            }
        }

        return jacobian;
    }

    private static double[] NumericalColumn(Func<Tensor[], Tensor> function, Tensor[] leaves, Tensor leaf, int element, double eps)
    {
        float original = leaf.Data[element];
        double step = eps * Math.Max(1.0, Math.Abs(original));
        float plus = (float)(original + step), minus = (float)(original - step);
        float[] high, low;
        using (GradMode.NoGrad())
        {
            leaf.Data[element] = plus;
            high = function(leaves).ToArray();
            leaf.Data[element] = minus;
            low = function(leaves).ToArray();
            leaf.Data[element] = original;
        }

        double actualStep = (double)plus - minus;
        var column = new double[high.Length];
        for (int j = 0; j < column.Length; j++)
        {
            column[j] = ((double)high[j] - low[j]) / actualStep;
        }

        return column;
    }

    /// <summary>The float64 column: x ± h are exact enough in double that the step is taken as it was requested, after rounding.</summary>
    private static double[] NumericalColumn64(Func<Tensor[], Tensor> function, Tensor[] leaves, Tensor leaf, int element, double eps)
    {
        double[] storage = leaf.StorageOf<double>();
        double original = storage[element];
        double step = eps * Math.Max(1.0, Math.Abs(original));
        double plus = original + step, minus = original - step;
        double[] high, low;
        using (GradMode.NoGrad())
        {
            storage[element] = plus;
            high = function(leaves).ToArray<double>();
            storage[element] = minus;
            low = function(leaves).ToArray<double>();
            storage[element] = original;
        }

        double actualStep = plus - minus;
        var column = new double[high.Length];
        for (int j = 0; j < column.Length; j++)
        {
            column[j] = (high[j] - low[j]) / actualStep;
        }

        return column;
    }

    private static string FormatIndex(Shape shape, int flat)
    {
        var index = new int[shape.Rank];
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            index[d] = flat % Math.Max(shape[d], 1);
            flat /= Math.Max(shape[d], 1);
        }

        return Shape.Format(index);
    }
}
