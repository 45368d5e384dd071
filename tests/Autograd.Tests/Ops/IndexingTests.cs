using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>The TensorIndex indexer: PyTorch's basic indexing as views, and assignment through them.</summary>
public class IndexingTests
{
    private static Tensor Grid() => Tensor.Arange(12f).Reshape(3, 4);

    [Fact]
    public void OverloadResolution_IntsReadAnElement_AnythingElseAView()
    {
        Tensor x = Grid();

        // All-int indices bind to the float element indexer; ^, .. and ranges to the tensor indexer.
        float element = x[1, 2];
        element.Should().Be(6f);
        Tensor last = x[^1];
        last.ShouldBe([4], [8f, 9f, 10f, 11f]);
        Tensor tail = x[1..];
        tail.Shape.ToArray().Should().Equal(2, 4);
        Tensor row = x[0, ..];
        row.ShouldBe([4], [0f, 1f, 2f, 3f]);
        Tensor cast = x[(TensorIndex)2];
        cast.ShouldBe([4], [8f, 9f, 10f, 11f]);
    }

    [Fact]
    public void BasicIndexing_Forms()
    {
        var x = Tensor.Arange(24f).Reshape(2, 3, 4);

        x[.., 1..3].Shape.ToArray().Should().Equal(2, 2, 4);
        x[1, TensorIndex.Slice(null, null, 2)].ShouldBe([2, 4], [12f, 13f, 14f, 15f, 20f, 21f, 22f, 23f]);
        x[TensorIndex.Ellipsis, 0].ShouldBe([2, 3], [0f, 4f, 8f, 12f, 16f, 20f]);
        x[0, TensorIndex.Ellipsis, ^1].ShouldBe([3], [3f, 7f, 11f]);
        x[TensorIndex.NewAxis].Shape.ToArray().Should().Equal(1, 2, 3, 4);
        x[.., TensorIndex.NewAxis, 1].Shape.ToArray().Should().Equal(2, 1, 4);
        x[^1, 1..^1, TensorIndex.Slice(-3, null, 2)].ShouldBe([1, 2], [17f, 19f]);

        // Python bounds: empty and clamped ranges, ^0 as an (empty) start.
        x[.., 2..1].Shape.ToArray().Should().Equal(2, 0, 4);
        x[^0..].Shape.ToArray().Should().Equal(0, 3, 4);
        x[TensorIndex.Slice(-100, 100)].Shape.ToArray().Should().Equal(2, 3, 4);
        x[TensorIndex.Ellipsis].Should().NotBeSameAs(x);
        Tensor.Scalar(3f)[TensorIndex.NewAxis].ShouldBe([1], [3f]);
    }

    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.Arange(12f, requiresGrad: true);
        Tensor grid = x.Reshape(3, 4);

        // x[1:, ::2] keeps rows 1, 2 and columns 0, 2: ∂L/∂x[i, j] = g[i − 1, j / 2] there, 0 elsewhere.
        Tensor y = grid[1.., TensorIndex.Slice(step: 2)];
        y.ShouldBe([2, 2], [4f, 6f, 8f, 10f]);
        y.GradFn!.ToString().Should().Be("<SliceBackward>");
        y.Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));
        x.Grad.ShouldBe([12], [0f, 0f, 0f, 0f, 1f, 0f, 2f, 0f, 3f, 0f, 4f, 0f]);

        grid[0, ..].GradFn!.ToString().Should().Be("<SelectBackward>");
        grid[TensorIndex.NewAxis].GradFn!.ToString().Should().Be("<UnsqueezeBackward>");
    }

    [Fact]
    public void GradCheck_Composites()
    {
        Tensor x = OpTest.Uniform([3, 4, 2], -1f, 1f, 471);
        GradCheck.Assert(t => t[0][1.., TensorIndex.NewAxis, TensorIndex.Slice(step: 2), -1], [x]);
        GradCheck.Assert(t => t[0].Transpose(0, 2)[TensorIndex.Ellipsis, ^1].Exp(), [x]);
        GradCheck.Assert(OpTest.Gradient(t => t[0][.., 1..3].Pow(2f) * t[0][.., 2..4], 0), [x]);
    }

    [Fact]
    public void Setter_CopiesIntoTheStorage_AndBumpsTheSharedVersion()
    {
        Tensor x = Grid();
        Tensor row = x[0, ..];
        int version = row.Version;

        x[.., 1] = 5f;
        x.ShouldBe([3, 4], [0f, 5f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 5f, 10f, 11f]);
        row[1].Should().Be(5f);
        row.Version.Should().Be(version + 1);
        x.Version.Should().Be(version + 1);

        // A tensor value broadcasts into the view: rows 1 and 2 get [−1, −2, −3, −4].
        x[1.., ..] = Tensor.From([-1f, -2f, -3f, -4f]);
        x.ShouldBe([3, 4], [0f, 5f, 2f, 3f, -1f, -2f, -3f, -4f, -1f, -2f, -3f, -4f]);

        // Writing through a view of a transpose lands in the base's column.
        x.T[0, ..] = 9f;
        x.ShouldBe([3, 4], [9f, 5f, 2f, 3f, 9f, -2f, -3f, -4f, 9f, -2f, -3f, -4f]);
        x.Version.Should().Be(version + 3);
    }

    [Fact]
    public void Setter_FollowsTheInPlacePolicy()
    {
        var leaf = Tensor.Ones([3], requiresGrad: true);

        Action viewOfLeaf = () => leaf[1..] = 0f;
        viewOfLeaf.Should().Throw<InvalidOperationException>()
            .WithMessage("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        ((Action)(() => leaf[1..].Fill(0f))).Should().Throw<InvalidOperationException>()
            .WithMessage("a view of a leaf Variable that requires grad is being used in an in-place operation.");

        // A view taken under no-grad cannot be written once grad mode is back on (PyTorch's rule) …
        Tensor noGradView;
        using (GradMode.NoGrad())
        {
            noGradView = leaf[..2];
        }

        ((Action)(() => noGradView.Fill(2f))).Should().Throw<InvalidOperationException>()
            .WithMessage("A view was created in no_grad mode and is being modified inplace with grad mode enabled.*");
        Tensor noGradTranspose;
        using (GradMode.NoGrad())
        {
            noGradTranspose = leaf.Unsqueeze(0).T;
        }

        ((Action)(() => noGradTranspose[0, 0] = 2f)).Should().Throw<InvalidOperationException>()
            .WithMessage("A view was created in no_grad mode and is being modified inplace with grad mode enabled.*");

        // … but view and write both under no-grad are fine, as for the leaf itself.
        using (GradMode.NoGrad())
        {
            leaf[..2] = 2f;
        }

        leaf.ShouldBe([3], [2f, 2f, 1f]);

        // A value that requires grad written into a plain tensor is recorded (CopySlices): plain = [l0, l1, l2].
        var plain = Tensor.Zeros(3);
        plain[..] = leaf;
        plain.GradFn!.Name.Should().Be("CopySlices");
        leaf.Grad = null;
        (plain * Tensor.From([1f, 2f, 3f])).Sum().Backward();
        leaf.Grad.ShouldBe([3], [1f, 2f, 3f]);
    }

    [Fact]
    public void WritingThroughAView_OfASavedTensor_FailsTheBackwardPass()
    {
        // (x ⊙ w) saves w for ∂/∂x; a write through a view of w bumps the version w shares with it.
        var x = Tensor.Ones([3], requiresGrad: true);
        var w = Tensor.From([1f, 2f, 3f]);
        Tensor y = (x * w).Sum();
        w[1..] = 0f;
        w.Version.Should().Be(1);

        Action act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.");
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        Tensor x = Grid();
        ((Action)(() => _ = x[5, ..])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("index 5 is out of bounds for dimension 0 with size 3*");
        ((Action)(() => _ = x[.., -5])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("index -5 is out of bounds for dimension 1 with size 4*");
        ((Action)(() => _ = x[1, (TensorIndex)4])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("index 4 is out of bounds for dimension 1 with size 4*");
        ((Action)(() => _ = x[^0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("index 3 is out of bounds for dimension 0 with size 3*");
        ((Action)(() => _ = x[0, 0, ..])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("too many indices for tensor of dimension 2*");
        ((Action)(() => _ = x[TensorIndex.Ellipsis, TensorIndex.Ellipsis])).Should().Throw<ArgumentException>()
            .WithMessage("an index can only have a single ellipsis ('...')*");
        ((Action)(() => TensorIndex.Slice(step: 0))).Should().Throw<ArgumentException>().WithMessage("slice step must be positive*");
    }

    [Fact]
    public void TensorIndex_FormatsAndCompares()
    {
        ((TensorIndex)1).ToString().Should().Be("1");
        TensorIndex.FromIndex(^2).ToString().Should().Be("^2");
        TensorIndex.Slice(1, null, 2).ToString().Should().Be("1::2");
        TensorIndex.NewAxis.ToString().Should().Be("None");
        TensorIndex.Ellipsis.ToString().Should().Be("...");
        ((TensorIndex)(1..3)).Should().Be(TensorIndex.Slice(1, 3));
        ((TensorIndex)1).Should().NotBe(TensorIndex.FromIndex(^1));
        ((TensorIndex)2).Kind.Should().Be(TensorIndexKind.Select);
    }
}
