using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class DiagonalTests
{
    private static Tensor Matrix(bool requiresGrad = false) =>
        Tensor.From([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f], [3, 4], requiresGrad);

    [Fact]
    public void Backward_HandDerived()
    {
        Tensor x = Matrix(requiresGrad: true);

        // out[k] = x[k, k], k < min(3, 4): stride 4 + 1 = 5 through storage. ∂L/∂x[i, j] = g[i] if i = j, else 0.
        Tensor y = x.Diagonal();
        y.ShouldBe([3], [0f, 5f, 10f]);
        y.Strides().Should().Equal(5);
        y.GradFn!.ToString().Should().Be("<DiagonalBackward>");
        y.Backward(Tensor.From([1f, 2f, 3f]));
        x.Grad.ShouldBe([3, 4], [1f, 0f, 0f, 0f, 0f, 2f, 0f, 0f, 0f, 0f, 3f, 0f]);
    }

    [Theory]
    [InlineData(1, new[] { 1f, 6f, 11f })]
    [InlineData(3, new[] { 3f })]
    [InlineData(-1, new[] { 4f, 9f })]
    [InlineData(-2, new[] { 8f })]
    [InlineData(4, new float[0])]
    [InlineData(-5, new float[0])]
    public void Offsets(int offset, float[] expected) =>
        Matrix().Diagonal(offset).ShouldBe([expected.Length], expected);

    [Fact]
    public void BatchOfMatrices_LastTwoDims()
    {
        var x = Tensor.Arange(8f).Reshape(2, 2, 2);

        // out[b, k] = x[b, k, k]: the diagonal becomes the last dimension, the batch stays first.
        x.Diagonal(0, 1, 2).ShouldBe([2, 2], [0f, 3f, 4f, 7f]);

        // dim1 = −1 (rows of the diagonal), dim2 = 0 (columns): out[j, k] = x[k + 1, j, k] for offset 1, and
        // min(2, 2 − 1) = 1 element: out[j, 0] = x[1, j, 0] = 4 + 2j.
        x.Diagonal(1, -1, 0).ShouldBe([2, 1], [4f, 6f]);
    }

    [Fact]
    public void WritingThroughTheDiagonal_ChangesTheMatrix()
    {
        Tensor x = Matrix();
        x.Diagonal().Fill(-1f);
        x.ShouldBe([3, 4], [-1f, 1f, 2f, 3f, 4f, -1f, 6f, 7f, 8f, 9f, -1f, 11f]);
        x.Version.Should().Be(1);
    }

    [Fact]
    public void GradCheck_AndSecondDerivative()
    {
        Tensor x = OpTest.Uniform([3, 4], -1f, 1f, 431);
        GradCheck.Assert(t => t[0].Diagonal(), [x]);
        GradCheck.Assert(t => t[0].Diagonal(-1).Exp(), [x]);
        GradCheck.Assert(t => t[0].T.Diagonal(1), [x]);
        GradCheck.Assert(t => t[0].Unsqueeze(0).Expand(2, 3, 4).Diagonal(0, 0, 2), [x]);

        // Σ diag(x)³ → ∂/∂x = 3x² on the diagonal only.
        GradCheck.Assert(OpTest.Gradient(t => t[0].Diagonal().Pow(3f), 0), [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        ((Action)(() => Matrix().Diagonal(0, 0, 0))).Should().Throw<ArgumentException>()
            .WithMessage("diagonal dimensions cannot be identical 0, 0*");
        ((Action)(() => Tensor.Ones(3).Diagonal())).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-1, 0], but got 1)*");
    }
}
