using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Split (by size and by sizes), Chunk and Unbind: views of one input, one node per piece.</summary>
public class SplitTests
{
    [Fact]
    public void SplitBySize_UnevenLastPiece_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f], requiresGrad: true);

        Tensor[] pieces = x.Split(2);
        pieces.Should().HaveCount(3);
        pieces[0].ShouldBe([2], [1f, 2f]);
        pieces[1].ShouldBe([2], [3f, 4f]);
        pieces[2].ShouldBe([1], [5f]);
        pieces[0].GradFn!.ToString().Should().Be("<SplitBackward>");

        // L = 1·Σp₀ + 2·Σp₁ + 3·Σp₂: every element gets the weight of its piece.
        ((pieces[0].Sum() * 1f) + (pieces[1].Sum() * 2f) + (pieces[2].Sum() * 3f)).Backward();
        x.Grad.ShouldBe([5], [1f, 1f, 2f, 2f, 3f]);
    }

    [Fact]
    public void Pieces_AreViewsSharingStorage()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        Tensor[] columns = x.Split([1, 2], 1);
        using (GradMode.NoGrad())
        {
            x[1, 2] = 60f;
        }

        columns[1].ShouldBe([2, 2], [2f, 3f, 5f, 60f]);
        columns[1].Version.Should().Be(x.Version, "views share the storage's version counter");
        columns[1].Strides().Should().Equal(3, 1);
    }

    [Fact]
    public void OnlySomePiecesUsed_OthersContributeZero()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);

        Tensor[] rows = x.Split(1);

        // Only the middle row is used: L = Σ p₁² → ∂L/∂x = 2·x on row 1, 0 elsewhere.
        rows[1].Pow(2f).Sum().Backward();
        x.Grad.ShouldBe([3, 2], [0f, 0f, 6f, 8f, 0f, 0f]);
    }

    [Fact]
    public void PieceUsedSeveralTimes_GradientsAdd()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], requiresGrad: true);

        Tensor[] halves = x.Chunk(2);

        // L = Σ (h₀ · h₀ · 3) + Σ h₁ + Σ h₁ → ∂L/∂x = [6·x₀, 6·x₁, 2, 2].
        ((halves[0] * halves[0] * 3f).Sum() + halves[1].Sum() + halves[1].Sum()).Backward();
        x.Grad.ShouldBe([4], [6f, 12f, 2f, 2f]);
    }

    [Fact]
    public void SplitWithSizes_ZeroSizedPieces_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor[] pieces = x.Split([0, 2, 0, 1], -1);
        pieces.Select(p => p.Shape.ToArray()).Should().BeEquivalentTo(new[] { new[] { 2, 0 }, [2, 2], [2, 0], [2, 1] }, o => o.WithStrictOrdering());
        pieces[1].ShouldBe([2, 2], [1f, 2f, 4f, 5f]);
        pieces[3].ShouldBe([2, 1], [3f, 6f]);
        pieces[0].GradFn!.ToString().Should().Be("<SplitWithSizesBackward>");

        // ∂(Σp₀ + 10·Σp₃ + Σp₂)/∂x: ones where nothing is, 10 on column 2, the [2, 2] piece unused.
        (pieces[0].Sum() + (pieces[3].Sum() * 10f) + pieces[2].Sum()).Backward();
        x.Grad.ShouldBe([2, 3], [0f, 0f, 10f, 0f, 0f, 10f]);
    }

    [Fact]
    public void Chunk_FewerPiecesThanAsked()
    {
        var x = Tensor.Arange(5f);

        // ceil(5 / 4) = 2 per chunk → sizes 2, 2, 1: three chunks, not four.
        Tensor[] chunks = x.Chunk(4);
        chunks.Select(c => c.Count).Should().Equal(2, 2, 1);
        chunks[2].ShouldBe([1], [4f]);

        // ceil(6 / 4) = 2 → 2, 2, 2.
        Tensor.Arange(6f).Chunk(4).Select(c => c.Count).Should().Equal(2, 2, 2);
    }

    [Fact]
    public void Chunk_EmptyDimension_GivesChunksEmptyPieces() =>
        Tensor.Zeros(2, 0).Chunk(3, 1).Select(c => c.Shape.ToArray()).Should().BeEquivalentTo(new[] { new[] { 2, 0 }, [2, 0], [2, 0] });

    [Fact]
    public void SplitOfEmptyDimension_GivesOneEmptyPiece() =>
        Tensor.Zeros(2, 0).Split(2, 1).Should().ContainSingle().Which.Shape.ToArray().Should().Equal(2, 0);

    [Fact]
    public void Unbind_Dim1_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor[] columns = x.Unbind(1);
        columns.Should().HaveCount(3);
        columns[0].ShouldBe([2], [1f, 4f]);
        columns[2].ShouldBe([2], [3f, 6f]);
        columns[0].GradFn!.ToString().Should().Be("<UnbindBackward>");

        // L = Σ c₀·c₂ → ∂L/∂x[:, 0] = c₂, ∂L/∂x[:, 2] = c₀, column 1 unused.
        (columns[0] * columns[2]).Sum().Backward();
        x.Grad.ShouldBe([2, 3], [3f, 0f, 1f, 6f, 0f, 4f]);
    }

    [Fact]
    public void Unbind_OfVector_GivesScalars()
    {
        var x = Tensor.From([2f, 3f], requiresGrad: true);

        (Tensor a, Tensor b) = (x.Unbind()[0], x.Unbind()[1]);
        a.ShouldBeScalar(2f);

        // L = a·b → ∂L/∂x = [b, a] = [3, 2].
        (a * b).Backward();
        x.Grad.ShouldBe([2], [3f, 2f]);
    }

    [Fact]
    public void Unbind_BroadcastUpstreamGradient_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);

        // Σ of row 1 sends a stride-0 gradient of ones; padded back into row 1 of zeros.
        Tensor[] rows = x.Unbind();
        (rows[1].Sum() * 4f).Backward();
        x.Grad.ShouldBe([3, 2], [0f, 0f, 4f, 4f, 0f, 0f]);
    }

    [Fact]
    public void Unbind_OfSizeOneDimension_PassesTheGradientThrough()
    {
        var x = Tensor.From([1f, 2f], [1, 2], requiresGrad: true);

        Tensor[] rows = x.Unbind();
        rows.Should().ContainSingle().Which.ShouldBe([2], [1f, 2f]);
        rows[0].Backward(Tensor.From([3f, 4f]));
        x.Grad.ShouldBe([1, 2], [3f, 4f]);
    }

    [Fact]
    public void NonContiguousInput_SplitsTheView()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // x.T = [[1, 4], [2, 5], [3, 6]]; its first two rows.
        Tensor[] pieces = x.T.Split(2);
        pieces[0].ShouldBe([2, 2], [1f, 4f, 2f, 5f]);
        pieces[1].ShouldBe([1, 2], [3f, 6f]);
        (pieces[1] * 5f).Sum().Backward();
        x.Grad.ShouldBe([2, 3], [0f, 0f, 5f, 0f, 0f, 5f]);
    }

    [Fact]
    public void SplitThenCat_IsIdentity_LargeOdd()
    {
        var x = OpTest.Uniform([7, 131], -1f, 1f, 331);
        Tensor g = OpTest.Uniform([7, 131], -1f, 1f, 332, requiresGrad: false);

        Tensor y = Tensor.Cat(x.Split(17, 1), 1);
        y.ToArray().Should().Equal(x.ToArray());
        y.Backward(g);
        x.Grad!.ToArray().Should().Equal(g.ToArray());
    }

    [Fact]
    public void GradCheck_SplitPiecesWeighted() =>
        GradCheck.Assert(
            t =>
            {
                Tensor[] p = t[0].Split([1, 3, 0], 1);
                return (p[0].Exp() * 2f).Sum() + (p[1] * p[1]).Sum() + p[2].Sum();
            },
            [OpTest.Uniform([2, 4], -1f, 1f, 333)]);

    [Fact]
    public void GradCheck_ChunkOfTransposed() =>
        GradCheck.Assert(t => t[0].T.Chunk(2, 1)[1].Sin(), [OpTest.Uniform([3, 2], -1f, 1f, 334)]);

    [Fact]
    public void GradCheck_UnbindNegativeDim() =>
        GradCheck.Assert(
            t =>
            {
                Tensor[] s = t[0].Unbind(-1);
                return (s[0] * s[1]) + s[0];
            },
            [OpTest.Uniform([3, 2], -1f, 1f, 335)]);

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => t[0].Unbind(0)[1] * t[0].Split(1, 0)[0].Reshape(2) * t[0].Chunk(2)[1].Reshape(2), wrt: 0),
            [OpTest.Uniform([2, 2], -1f, 1f, 336)]);

    [Fact]
    public void ChunkOfZero_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(3).Chunk(0);
        act.Should().Throw<ArgumentException>().WithMessage("chunk expects `chunks` to be greater than 0, got: 0*");
    }

    [Fact]
    public void SplitSizesNotSumming_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(2, 3).Split([1, 1], 1);
        act.Should().Throw<ArgumentException>().WithMessage(
            "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 1), but got split_sizes=[1, 1]*");
    }

    [Fact]
    public void NegativeSplitSize_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(3).Split(-1);
        act.Should().Throw<ArgumentException>().WithMessage("split expects split_size be non-negative, but got split_size=-1*");
        Action zero = () => Tensor.Zeros(3).Split(0);
        zero.Should().Throw<ArgumentException>().WithMessage("split_size can only be 0 if dimension size is 0, but got dimension size of 3*");
    }

    [Fact]
    public void UnbindOfScalar_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Scalar(1f).Unbind();
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension specified as 0 but tensor has no dimensions*");
        Action range = () => Tensor.Zeros(2, 3).Unbind(2);
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
