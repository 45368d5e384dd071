using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>The internal pair behind strided views' backward: AsStrided and its adjoint AsStridedScatter.</summary>
public class AsStridedTests
{
    // Windows of 2 with step 1 over a 4-vector, in its row-major layout: rows start at 0, 1, 2.
    private static readonly ViewGeometry s_windows = new([3, 2], [1, 1], 0);

    [Fact]
    public void AsStrided_ReadsTheLogicalLayout_EvenOfANonContiguousInput()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);

        // xᵀ is [[1, 3, 5], [2, 4, 6]]; its row-major layout is 1 3 5 2 4 6, whatever its storage order.
        x.T.AsStrided(new ViewGeometry([2, 2], [1, 3], 1)).ShouldBe([2, 2], [3f, 4f, 5f, 6f]);
    }

    [Fact]
    public void Scatter_AccumulatesOverlaps_AndIsTheAdjoint()
    {
        var g = Tensor.From([1f, 2f, 10f, 20f, 100f, 200f], [3, 2], requiresGrad: true);

        // out[i] = Σ over (w, j) with w + j = i of g[w, j].
        Tensor scattered = g.AsStridedScatter([4], s_windows);
        scattered.ShouldBe([4], [1f, 2f + 10f, 20f + 100f, 200f]);
        scattered.GradFn!.ToString().Should().Be("<AsStridedScatterBackward>");

        // ⟨scatter(g), v⟩ = ⟨g, window(v)⟩: the gradient of Σ scatter(g)·v with respect to g is window(v).
        (scattered * Tensor.From([1f, 2f, 3f, 4f])).Sum().Backward();
        g.Grad.ShouldBe([3, 2], [1f, 2f, 2f, 3f, 3f, 4f]);
    }

    [Fact]
    public void GradCheck_BothDirections_AndSecondOrder()
    {
        Tensor x = OpTest.Uniform([4], -1f, 1f, 481), g = OpTest.Uniform([3, 2], -1f, 1f, 482);
        GradCheck.Assert(t => t[0].AsStrided(s_windows), [x]);
        GradCheck.Assert(t => t[0].AsStridedScatter([4], s_windows), [g]);
        GradCheck.Assert(t => t[0].T.AsStridedScatter([4], s_windows), [OpTest.Uniform([2, 3], -1f, 1f, 483)]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].AsStrided(s_windows).Pow(3f), 0), [x]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].AsStridedScatter([4], s_windows).Pow(3f), 0), [g]);
    }
}
