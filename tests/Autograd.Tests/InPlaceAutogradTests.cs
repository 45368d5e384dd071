using Autograd.Tests.Ops;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// In-place updates of tensors in a graph are recorded as PyTorch records them, including writes through views of
/// non-leaves, which rebase the base's history (CopySlices). Expected values are derived by hand below and were checked
/// against PyTorch 1.13 (the same programs give the same gradients there).
/// </summary>
public class InPlaceAutogradTests
{
    /// <summary>
    /// h = 2x; h[:, 0] = y; loss = Σ h ⊙ w. The written column holds y: ∂loss/∂y = w[:, 0]; the rest holds 2x:
    /// ∂loss/∂x = 2w off column 0 and 0 in it.
    /// </summary>
    [Fact]
    public void WriteIntoAColumnOfANonLeaf_SendsGradientsToBothTheOldValuesAndTheWrittenOnes()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);
        var y = Tensor.From([10f, 20f], [2], requiresGrad: true);
        var w = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        Tensor h = x * 2f;
        h[.., 0] = y;
        h.ShouldBe([2, 3], [10f, 4f, 6f, 20f, 10f, 12f]);
        h.GradFn!.Name.Should().Be("CopySlices");
        (h * w).Sum().Backward();

        y.Grad.ShouldBe([2], [1f, 4f]);
        x.Grad.ShouldBe([2, 3], [0f, 4f, 6f, 0f, 10f, 12f]);
    }

    /// <summary>
    /// h = x³ (saves x); v = h[1:]; v *= 3; loss = Σ h. h = [x0³, 3x1³, 3x2³]: ∂/∂x = [3x0², 9x1², 9x2²].
    /// </summary>
    [Fact]
    public void ScaleAViewInPlace_ThroughASlice()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        Tensor h = x.Pow(3f);
        Tensor v = h[1..];
        v *= 3f;
        h.ShouldBe([3], [1f, 24f, 81f]);
        h.Sum().Backward();
        x.Grad.ShouldBe([3], [3f, 36f, 81f]);
    }

    /// <summary>h = x + 0; h *= y (y requires grad): h = x ⊙ y, ∂/∂x = y, ∂/∂y = x (the old value is kept for y's gradient).</summary>
    [Fact]
    public void MultiplyInPlace_KeepsTheOldValueForTheOtherGradient()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = Tensor.From([3f, 5f], requiresGrad: true);
        Tensor h = x + 0f;
        h *= y;
        h.Sum().Backward();
        x.Grad.ShouldBe([2], [3f, 5f]);
        y.Grad.ShouldBe([2], [1f, 2f]);
    }

    /// <summary>e = exp(x) saves its output; writing into e then back-propagating through exp is PyTorch's version error.</summary>
    [Fact]
    public void WritingASavedOutput_MakesBackwardThrowThePyTorchError()
    {
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        Tensor e = x.Exp();
        e += 1f;
        FluentActions.Invoking(() => e.Sum().Backward()).Should().Throw<InvalidOperationException>()
            .WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation*");
    }

    /// <summary>Leaves that require grad, and views of them, refuse in-place updates under grad mode.</summary>
    [Fact]
    public void LeavesAndTheirViews_Refuse()
    {
        var leaf = Tensor.Ones([3], requiresGrad: true);
        FluentActions.Invoking(() => { Tensor t = leaf; t += 1f; }).Should().Throw<InvalidOperationException>()
            .WithMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        FluentActions.Invoking(() => leaf[..2] = Tensor.Zeros(2)).Should().Throw<InvalidOperationException>()
            .WithMessage("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /// <summary>A Detach() alias is no view for autograd: a recorded write rebases the alias alone, not the tensor it came from.</summary>
    [Fact]
    public void DetachedAlias_IsRebasedAlone()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = Tensor.From([4f, 8f], requiresGrad: true);
        Tensor h = x * 3f;
        Tensor d = h.Detach();
        d += y;   // d = (3x, detached) + y; h shares the storage and sees the values, but keeps its own history
        h.ShouldBe([2], [7f, 14f]);
        h.GradFn!.Name.Should().Be("MulBackward");
        d.Sum().Backward();
        y.Grad.ShouldBe([2], [1f, 1f]);
        x.Grad.Should().BeNull();
    }

    /// <summary>Second order through a recorded write: h = x²; h[0] = x0³ → loss = x0³ + x1²; ∂²/∂x0² = 6x0, ∂²/∂x1² = 2.</summary>
    [Fact]
    public void SecondDerivative_ThroughAWriteIntoAView()
    {
        var x = Tensor.From([2f, 3f], requiresGrad: true);
        Tensor h = x * x;
        h[..1] = x[..1].Pow(3f);
        h.Sum().Backward(createGraph: true);
        Tensor g = x.Grad!;
        g.ShouldBe([2], [12f, 6f]);   // 3·x0², 2·x1
        x.Grad = null;
        g.Sum().Backward();
        x.Grad.ShouldBe([2], [12f, 2f]);   // 6·x0, 2
    }

    [Fact]
    public void GradCheck_WriteIntoAView()
    {
        GradCheck.Assert(
            t =>
            {
                Tensor h = (t[0] * 1.5f) + 0.5f;   // saves nothing, so the write leaves backward valid
                h[1, ..] = t[1] * 2f;
                return h * t[0];
            },
            [OpTest.Uniform([3, 4], -1f, 1f, 901), OpTest.Uniform([4], -1f, 1f, 902)]);
    }

    [Fact]
    public void InPlace_OnOtherDTypes_WritesAndRefusesLossyCasts()
    {
        Tensor ints = Tensor.From([1L, 2L, 3L]);
        Tensor t = ints;
        t += 2;
        ints.ToArray<long>().Should().Equal(3, 4, 5);
        t *= Tensor.From([2, 2, 2]);
        ints.ToArray<long>().Should().Equal(6, 8, 10);
        FluentActions.Invoking(() => { Tensor u = ints; u /= 2; }).Should().Throw<InvalidOperationException>()
            .WithMessage("result type Float can't be cast to the desired output type Long");
        FluentActions.Invoking(() => { Tensor u = ints; u += Tensor.From([0.5f, 0.5f, 0.5f]); }).Should().Throw<InvalidOperationException>()
            .WithMessage("result type Float can't be cast to the desired output type Long");
        Tensor doubles = Tensor.From([1.0, 2.0]);
        doubles.CopyFrom(Tensor.From([3f, 4f]));
        doubles.ToArray<double>().Should().Equal(3, 4);
    }

    /// <summary>
    /// h = 2x; h[[0, 2]] = y; loss = Σ h ⊙ w with w = [1, 2, 3]: ∂/∂y = w[[0, 2]] = [1, 3]; ∂/∂x = 2w where not written = [0, 4, 0]
    /// (PyTorch 1.13 gives the same).
    /// </summary>
    [Fact]
    public void WriteThroughAnIndexTensor_IsRecorded()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var y = Tensor.From([10f, 20f], requiresGrad: true);
        Tensor h = x * 2f;
        h[Tensor.From([0L, 2L])] = y;
        h.ShouldBe([3], [10f, 4f, 20f]);
        (h * Tensor.From([1f, 2f, 3f])).Sum().Backward();
        y.Grad.ShouldBe([2], [1f, 3f]);
        x.Grad.ShouldBe([3], [0f, 4f, 0f]);
    }

    /// <summary>The version error names the saved tensor's type as PyTorch does (torch.DoubleTensor for float64).</summary>
    [Fact]
    public void VersionError_NamesTheDType()
    {
        var x = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        Tensor e = x.Exp();
        e += 1.0;
        FluentActions.Invoking(() => e.Sum().Backward()).Should().Throw<InvalidOperationException>()
            .WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [2]], which is output 0 of ExpBackward, is at version 1; expected version 0 instead.");
    }

    /// <summary>
    /// h = 2x; h.fill_(0) (or h.copy_(constant)); loss = Σ h: h no longer depends on x, and PyTorch 1.13 still gives
    /// x.grad = [0, 0, 0] (FillBackward, CopyBackwards), not None.
    /// </summary>
    [Fact]
    public void OverwritingANonLeafWithAConstant_SendsZeros()
    {
        var x = Tensor.Ones([3], requiresGrad: true);
        Tensor h = x * 2f;
        h.Fill(0f);
        h.RequiresGrad.Should().BeTrue();
        (h * Tensor.Ones(3)).Sum().Backward();
        x.Grad.ShouldBe([3], [0f, 0f, 0f]);

        var z = Tensor.Ones([3], requiresGrad: true);
        Tensor k = z * 2f;
        k.CopyFrom(Tensor.From([1f, 2f, 3f]));
        k.ShouldBe([3], [1f, 2f, 3f]);
        k.Sum().Backward();
        z.Grad.ShouldBe([3], [0f, 0f, 0f]);
    }
}
