using Autograd.Optim;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>A saved tensor modified in place after it was saved makes backward fail instead of giving a wrong gradient.</summary>
public sealed class VersionTests
{
    [Fact]
    public void InPlaceOps_CountInTheVersion()
    {
        var t = Tensor.Zeros(3);
        t.Version.Should().Be(0);
        t += 1f;
        t *= Tensor.Ones(3);
        t.Clear();
        t[0] = 2f;
        t.Version.Should().Be(4);

        // Views share the storage's counter, in both directions.
        var view = t.Detach().Reshape(3, 1).T;
        view.Version.Should().Be(4);
        view.Fill(1f);
        t.Version.Should().Be(5);
    }

    [Fact]
    public void ModifyingASavedInputInPlace_FailsTheBackwardPass()
    {
        // y = x ⊙ w saves w for ∂y/∂x; changing w afterwards would make ∂y/∂x silently wrong.
        var x = Tensor.Ones([3], requiresGrad: true);
        var w = Tensor.From([1f, 2f, 3f]);
        var y = (x * w).Sum();
        w += 1f;
        Action act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.");
    }

    [Fact]
    public void ModifyingASavedOutputThroughADetachedAlias_FailsAndNamesItsNode()
    {
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        var e = Tensor.Exp(x);
        var y = (e * 2f).Sum();
        e.Detach().Fill(0f);
        Action act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*[torch.FloatTensor [2]], which is output 0 of ExpBackward, is at version 1; expected version 0 instead.");
    }

    [Fact]
    public void UpdatingParametersBetweenSteps_IsFineButReusingTheOldGraphIsNot()
    {
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        var sgd = new SGD([w], 0.1f);
        var loss = (w * w).Sum();
        loss.Backward(retainGraph: true);
        sgd.Step();
        w.Version.Should().Be(1);

        // w = [1, 2] − 0.1·[2, 4] = [0.8, 1.6]; a fresh graph saves the updated w: ∇ Σ w² = 2w = [1.6, 3.2].
        sgd.ZeroGrad();
        (w * w).Sum().Backward();
        w.Grad!.ToArray().Should().Equal([1.6f, 3.2f], (p, q) => Math.Abs(p - q) < 1e-6f);

        // The retained old graph saved w at version 0.
        Action act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("one of the variables needed for gradient computation has been modified*");
    }

    [Fact]
    public void OpsThatSaveNothing_AreNotAffected()
    {
        // ∂(x + w)/∂x = 1 does not need w, so changing w is harmless, as in PyTorch.
        var x = Tensor.Ones([2], requiresGrad: true);
        var w = Tensor.Ones(2);
        var y = (x + w).Sum();
        w += 5f;
        y.Backward();
        x.Grad!.ToArray().Should().Equal(1f, 1f);
    }

    [Fact]
    public void InPlaceWithAnOperandThatRequiresGrad_IsRecorded()
    {
        // y += x records y = y_before + x: (2y).sum() + x.sum() gives x.grad = 2 + 1 = 3 (PyTorch: 3).
        var x = Tensor.Ones([3], requiresGrad: true);
        var y = Tensor.Zeros(3);
        Tensor t = y;
        t += x;
        y.ToArray().Should().Equal(1f, 1f, 1f);
        y.Version.Should().Be(1);
        y.IsLeaf.Should().BeFalse();
        y.GradFn!.Name.Should().Be("AddBackward");
        ((2f * y).Sum() + x.Sum()).Backward();
        x.Grad!.ToArray().Should().Equal(3f, 3f, 3f);

        // Without grad mode, or with an operand that needs no gradient, nothing is recorded.
        var z = Tensor.Zeros(3);
        using (GradMode.NoGrad())
        {
            Tensor u = z;
            u += x;
        }

        Tensor v = z;
        v += Tensor.Ones(3);
        z.ToArray().Should().Equal(2f, 2f, 2f);
        z.RequiresGrad.Should().BeFalse();
        z.IsLeaf.Should().BeTrue();
    }
}
