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
    public void InPlaceWithAnOperandThatRequiresGrad_ThrowsInsteadOfDroppingItsGradient()
    {
        // y += x would leave y = x with no record of x: (2y).sum() + x.sum() would then give x.grad = 1 instead of 3.
        var x = Tensor.Ones([3], requiresGrad: true);
        var y = Tensor.Zeros(3);
        Action[] writes =
        [
            () => { Tensor t = y; t += x; },
            () => { Tensor t = y; t -= x; },
            () => { Tensor t = y; t *= x; },
            () => { Tensor t = y; t /= x; },
            () => y.CopyFrom(x * 2),
        ];
        foreach (Action write in writes)
        {
            write.Should().Throw<NotSupportedException>().WithMessage("*right operand requires grad*");
        }

        y.ToArray().Should().Equal(0f, 0f, 0f);
        y.Version.Should().Be(0);

        // Without grad mode, or with an operand that needs no gradient, the write happens.
        using (GradMode.NoGrad())
        {
            Tensor t = y;
            t += x;
        }

        Tensor u = y;
        u += Tensor.Ones(3);
        y.ToArray().Should().Equal(2f, 2f, 2f);
        y.RequiresGrad.Should().BeFalse();
    }
}
