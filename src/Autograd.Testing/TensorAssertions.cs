using System.Globalization;
using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace Autograd.Testing;

/// <summary>Entry point: <c>tensor.Should()</c> with <c>using Autograd.Testing;</c>.</summary>
public static class TensorAssertionExtensions
{
    /// <summary>Assertions on <paramref name="subject"/>.</summary>
    public static TensorAssertions Should(this Tensor subject) => new(subject);
}

/// <summary>
/// Assertions on a <see cref="Tensor"/>: closeness element by element (PyTorch's <c>torch.testing.assert_close</c>
/// defaults: float32 rtol 1.3e-6 and atol 1e-5, float64 rtol 1e-7 and atol 1e-7; integers and bools exact), shape,
/// dtype, and gradients checked against finite differences. A failure names the first mismatching element.
/// </summary>
public sealed class TensorAssertions : ReferenceTypeAssertions<Tensor, TensorAssertions>
{
    /// <summary>Wraps <paramref name="subject"/>.</summary>
    public TensorAssertions(Tensor subject)
        : base(subject)
    {
    }

    /// <inheritdoc/>
    protected override string Identifier => "tensor";

    /// <summary>
    /// Asserts the same shape and every element within atol + rtol·|expected| (NaN matches NaN, infinities must be
    /// equal). Tolerances default to PyTorch's for the subject's dtype.
    /// </summary>
    public AndConstraint<TensorAssertions> BeCloseTo(Tensor expected, double? atol = null, double? rtol = null, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (!HaveShapeCore(expected.Shape.ToArray(), because, becauseArgs))
        {
            return new AndConstraint<TensorAssertions>(this);
        }

        return BeCloseToCore(expected.To(DType.Float64).ToArray<double>(), atol, rtol, because, becauseArgs);
    }

    /// <summary>Asserts the elements, in row-major order, are within tolerance of <paramref name="expected"/>.</summary>
    public AndConstraint<TensorAssertions> BeCloseTo(IEnumerable<double> expected, double? atol = null, double? rtol = null, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(expected);
        double[] values = [.. expected];
        bool countMatches = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:tensor} to be close to {0} values{reason}, but it was <null>.", values.Length)
            .Then
            .ForCondition(Subject!.Count == values.Length)
            .FailWith("Expected {context:tensor} to have " + values.Length + " elements{reason}, but it has " + Subject.Count + " (shape " + Subject.Shape.ToString() + ").");
        return countMatches ? BeCloseToCore(values, atol, rtol, because, becauseArgs) : new AndConstraint<TensorAssertions>(this);
    }

    /// <summary>Asserts the shape.</summary>
    public AndConstraint<TensorAssertions> HaveShape(params int[] shape)
    {
        HaveShapeCore(shape, string.Empty, []);
        return new AndConstraint<TensorAssertions>(this);
    }

    /// <summary>Asserts the dtype.</summary>
    public AndConstraint<TensorAssertions> HaveDType(DType dtype, string because = "", params object[] becauseArgs)
    {
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null && Subject.DType == dtype)
            .FailWith("Expected {context:tensor} to have dtype " + dtype.TorchName() + "{reason}, but found " + (Subject?.DType.TorchName() ?? "<null>") + ".");
        return new AndConstraint<TensorAssertions>(this);
    }

    /// <summary>
    /// Asserts that the gradients of <paramref name="function"/> at this tensor match central finite differences
    /// (<see cref="GradCheck"/>: PyTorch's defaults in float64), reporting the first mismatching Jacobian entry.
    /// </summary>
    public AndConstraint<TensorAssertions> HaveGradientsMatchingFiniteDifferences(Func<Tensor, Tensor> function, double? eps = null, double? atol = null, double? rtol = null, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(function);
        GradCheckResult? result = null;
        if (Subject is not null)
        {
            Tensor input = Subject.RequiresGrad ? Subject : WithGrad(Subject);
            result = GradCheck.Check(t => function(t[0]), [input], eps, atol, rtol);
        }

        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(result is { Passed: true })
            .FailWith("Expected the gradients at {context:tensor} to match finite differences{reason}, but: " + Escape(result?.Message ?? "the tensor was <null>"));
        return new AndConstraint<TensorAssertions>(this);
    }

    private static Tensor WithGrad(Tensor t)
    {
        Tensor copy = t.Detach().Clone();
        copy.RequiresGrad = true;
        return copy;
    }

    private bool HaveShapeCore(int[] shape, string because, object[] becauseArgs) =>
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:tensor} to have shape [" + string.Join(", ", shape) + "]{reason}, but it was <null>.")
            .Then
            .ForCondition(Subject!.Shape.ToArray().AsSpan().SequenceEqual(shape))
            .FailWith("Expected {context:tensor} to have shape [" + string.Join(", ", shape) + "]{reason}, but found " + Subject.Shape.ToString() + ".");

    private AndConstraint<TensorAssertions> BeCloseToCore(double[] expected, double? atol, double? rtol, string because, object[] becauseArgs)
    {
        DType dtype = Subject.DType;
        bool exact = !dtype.IsFloatingPoint();
        double a = atol ?? (exact ? 0 : dtype == DType.Float64 ? 1e-7 : dtype == DType.Float32 ? 1e-5 : 1e-3);
        double r = rtol ?? (exact ? 0 : dtype == DType.Float64 ? 1e-7 : dtype == DType.Float32 ? 1.3e-6 : 1e-2);
        double[] actual = Subject.To(DType.Float64).ToArray<double>();
        int[] shape = Subject.Shape.ToArray();
        for (int i = 0; i < actual.Length; i++)
        {
            double got = actual[i], want = expected[i];
            bool ok = double.IsNaN(want) ? double.IsNaN(got)
                : double.IsInfinity(want) ? got == want
                : Math.Abs(got - want) <= a + (r * Math.Abs(want));
            if (!ok)
            {
                string detail = $"element {FormatIndex(shape, i)} is {Format(got)} where {Format(want)} was expected (difference {Format(Math.Abs(got - want))} exceeds atol {Format(a)} + rtol {Format(r)} x |expected|)";
                Execute.Assertion
                    .BecauseOf(because, becauseArgs)
                    .FailWith("Expected {context:tensor} to be close to the expected values{reason}, but " + Escape(detail) + ".");
                break;
            }
        }

        return new AndConstraint<TensorAssertions>(this);
    }

    /// <summary>Doubles braces, which FluentAssertions reads as placeholders.</summary>
    private static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    private static string Format(double value) => value.ToString("G9", CultureInfo.InvariantCulture);

    private static string FormatIndex(int[] shape, int flat)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }

        return "[" + string.Join(", ", index) + "]";
    }
}
