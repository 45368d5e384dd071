using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.LinearAlgebra;

/// <summary>
/// Finite differences in float64 (PyTorch's gradcheck defaults) for every linear-algebra op, first order, and second
/// order for the bilinear ones; and values derived by hand.
/// </summary>
public class LinearAlgebraGradCheckTests
{
    public static TheoryData<string> EinsumEquations =>
    [
        "bij,bjk->bik", "bhqd,bhkd->bhqk", "ij->ji", "ii->", "ii->i", "i,j->ij", "ij,ij->", "bij->bji", "ijk,jk->i",
        "ij,jk", "...ij,...jk->...ik", "iij->ji", "ij,jk,kl->il", "bn,anm,bm->ba",
    ];

    [Theory]
    [MemberData(nameof(EinsumEquations))]
    public void Einsum_PassesGradCheck_FirstAndSecondOrder(string equation)
    {
        Tensor[] inputs = [.. Shapes(equation).Select((s, i) => Random(s, seed: (equation.Length * 7) + i))];
        GradCheck.Assert(t => Tensor.Einsum(equation, t), inputs);
        if (inputs.Length > 1)
        {
            GradCheck.Assert(OpTest.Gradient(t => Tensor.Einsum(equation, t).Pow(2.0), 0), inputs);
        }
    }

    [Fact]
    public void Products_PassGradCheck()
    {
        GradCheck.Assert(t => Tensor.Outer(t[0], t[1]), [Random([3], 1), Random([4], 2)]);
        GradCheck.Assert(t => Tensor.Mm(t[0], t[1]), [Random([3, 4], 3), Random([4, 2], 4)]);
        GradCheck.Assert(t => Tensor.Mv(t[0], t[1]), [Random([3, 4], 5), Random([4], 6)]);
        GradCheck.Assert(t => Tensor.Bmm(t[0], t[1]), [Random([2, 3, 4], 7), Random([2, 4, 2], 8)]);
        GradCheck.Assert(t => Tensor.Addmm(t[0], t[1], t[2], beta: 0.5, alpha: -2), [Random([2], 9), Random([3, 4], 10), Random([4, 2], 11)]);
        GradCheck.Assert(t => Tensor.Baddbmm(t[0], t[1], t[2], beta: 3, alpha: 0.25), [Random([3, 1], 12), Random([2, 3, 4], 13), Random([2, 4, 1], 14)]);
        GradCheck.Assert(t => Tensor.Kron(t[0], t[1]), [Random([2, 3], 15), Random([3, 1], 16)]);
        GradCheck.Assert(OpTest.Gradient(t => Tensor.Addmm(t[0], t[1], t[2], beta: 2, alpha: 3).Pow(2.0), 1), [Random([2], 17), Random([3, 4], 18), Random([4, 2], 19)]);
    }

    [Fact]
    public void Triangles_Diag_AndTrace_PassGradCheck()
    {
        GradCheck.Assert(t => Tensor.Tril(t[0], -1), [Random([2, 4, 3], 20)]);
        GradCheck.Assert(t => Tensor.Triu(t[0], 1), [Random([4, 3], 21)]);
        GradCheck.Assert(t => Tensor.Diag(t[0], -2), [Random([3], 22)]);
        GradCheck.Assert(t => Tensor.Diag(t[0], 1), [Random([3, 4], 23)]);
        GradCheck.Assert(t => Tensor.Trace(t[0]), [Random([3, 3], 24)]);
    }

    [Fact]
    public void HandDerivedValues()
    {
        // [[1, 2], [3, 4]]: trace 1 + 4 = 5, ∂trace/∂x = I; diag(·, 1) = [2]; tril zeroes the 2, triu(·, 1) keeps only it.
        Tensor x = Tensor.From(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } }, requiresGrad: true);
        Tensor trace = x.Trace();
        trace.ToArray<double>().Should().Equal(5);
        trace.Backward();
        x.Grad!.ToArray<double>().Should().Equal(1, 0, 0, 1);
        x.Diag(1).ToArray<double>().Should().Equal(2);
        x.Tril().ToArray<double>().Should().Equal(1, 0, 3, 4);
        x.Triu(1).ToArray<double>().Should().Equal(0, 2, 0, 0);

        // diag([5, 6], −1) is 3×3 with 5 at (1, 0) and 6 at (2, 1).
        Tensor.Diag(Tensor.From([5.0, 6.0]), -1).ToArray<double>().Should().Equal(0, 0, 0, 5, 0, 0, 0, 6, 0);

        // "ii->" on x is the trace; "ij,ij->" is Σ x² = 1 + 4 + 9 + 16 = 30; "ij->ji" is the transpose.
        Tensor.Einsum("ii->", x).ToArray<double>().Should().Equal(5);
        Tensor.Einsum("ij,ij->", x, x).ToArray<double>().Should().Equal(30);
        Tensor.Einsum("ij->ji", x).ToArray<double>().Should().Equal(1, 3, 2, 4);

        // kron([1, 2], [1, 10]) = [1, 10, 2, 20]; outer([1, 2], [3, 4]) = [[3, 4], [6, 8]].
        Tensor.Kron(Tensor.From([1.0, 2.0]), Tensor.From([1.0, 10.0])).ToArray<double>().Should().Equal(1, 10, 2, 20);
        Tensor.Outer(Tensor.From([1.0, 2.0]), Tensor.From([3.0, 4.0])).ToArray<double>().Should().Equal(3, 4, 6, 8);

        // addmm(NaN, I, x, β = 0) is x exactly: β = 0 ignores the input (PyTorch's rule), and the input's gradient is 0.
        Tensor bias = Tensor.From([double.NaN, double.NaN], requiresGrad: true);
        Tensor sum = Tensor.Addmm(bias, Tensor.Eye(2, DType.Float64), x.Detach(), beta: 0);
        sum.ToArray<double>().Should().Equal(1, 2, 3, 4);
        sum.Sum().Backward();
        bias.Grad!.ToArray<double>().Should().Equal(0, 0);
    }

    [Fact]
    public void Einsum_AttentionScores_EqualMatMulWithTransposedKeys()
    {
        Tensor q = Random([2, 3, 4, 5], 30), k = Random([2, 3, 6, 5], 31);
        Tensor viaEinsum = Tensor.Einsum("bhqd,bhkd->bhqk", q, k);
        Tensor viaMatMul = Tensor.MatMul(q, k.Transpose(-1, -2));
        viaEinsum.Shape.ToArray().Should().Equal(2, 3, 4, 6);
        viaEinsum.ToArray<double>().Should().Equal(viaMatMul.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    /// <summary>Operand shapes for an equation: label sizes a=2, b=2, h=3, i=3, j=4, k=2, l=3, n=3, m=2, q=4, d=5.</summary>
    private static int[][] Shapes(string equation)
    {
        var sizes = new Dictionary<char, int> { ['a'] = 2, ['b'] = 2, ['h'] = 3, ['i'] = 3, ['j'] = 4, ['k'] = 2, ['l'] = 3, ['n'] = 3, ['m'] = 2, ['q'] = 4, ['d'] = 5 };
        string lhs = equation.Split("->")[0];
        return [.. lhs.Split(',').Select(term => term.StartsWith("...", StringComparison.Ordinal)
            ? [2, .. term[3..].Select(c => c == 'i' && term.Count(x => x == 'i') > 1 ? 3 : sizes[c])]
            : term.Select(c => sizes[c]).ToArray())];
    }

    private static Tensor Random(int[] shape, int seed) => Tensor.Uniform(shape, -1.0, 1.0, DType.Float64, requiresGrad: true, generator: new Generator(seed));
}
