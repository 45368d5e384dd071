using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// Per-pass state belongs to the pass (GraphTask): passes on several threads may run through one
/// retained graph at the same time, and a pass started inside a node's backward does not disturb the outer one.
/// </summary>
public sealed class GraphTaskTests
{
    /// <summary>
    /// loss = Σ tanh(x ⊙ w) · (x ⊙ w) through shared intermediates u = x ⊙ w, t = tanh(u):
    /// ∂loss/∂u = tanh(u) + u·(1 − tanh²(u)), ∂loss/∂x = w ⊙ that, ∂loss/∂w = x ⊙ that.
    /// </summary>
    private static (Tensor X, Tensor W, Tensor Loss, double[] GradX) SharedGraph(int n)
    {
        var x = Tensor.Uniform([n], -2f, 2f, requiresGrad: true, generator: new Generator(5));
        var w = Tensor.Uniform([n], -2f, 2f, requiresGrad: true, generator: new Generator(6));
        Tensor u = x * w;
        Tensor t = u.Tanh();
        Tensor loss = (t * u).Sum() + (u * 0.5f).Sum();
        float[] xs = x.ToArray(), ws = w.ToArray();
        double[] expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            double ui = (double)xs[i] * ws[i], th = Math.Tanh(ui);
            expected[i] = ws[i] * (th + (ui * (1 - (th * th))) + 0.5);
        }

        return (x, w, loss, expected);
    }

    [Fact]
    public void TwoThreads_BackPropagateThroughOneRetainedGraph_AtTheSameTime()
    {
        const int Passes = 300;
        (Tensor x, _, Tensor loss, double[] expected) = SharedGraph(64);
        using var start = new Barrier(2);
        Exception? failure = null;
        void Run()
        {
            try
            {
                start.SignalAndWait();
                for (int i = 0; i < Passes; i++)
                {
                    loss.Backward(retainGraph: true);
                }
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        // One pass on the thread that built the graph (it borrows the nodes' own slots), one on another (it keeps the
        // slots in its own dictionary), at the same time.
        var other = new Thread(Run);
        other.Start();
        Run();
        other.Join();

        failure.Should().BeNull();
        float[] grad = x.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++)
        {
            ((double)grad[i]).Should().BeApproximately(2 * Passes * expected[i], 1e-3 * Math.Max(1, Math.Abs(2 * Passes * expected[i])), "element {0}", i);
        }
    }

    [Fact]
    public void ThreeThreads_NoneOfThemTheGraphsOwn_BackPropagateAtTheSameTime()
    {
        const int Passes = 200;
        (Tensor x, _, Tensor loss, double[] expected) = SharedGraph(32);
        using var start = new Barrier(3);
        Exception? failure = null;
        Thread[] threads = [.. Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (int i = 0; i < Passes; i++)
                {
                    loss.Backward(retainGraph: true);
                }
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        failure.Should().BeNull();
        float[] grad = x.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++)
        {
            ((double)grad[i]).Should().BeApproximately(3 * Passes * expected[i], 1e-3 * Math.Max(1, Math.Abs(3 * Passes * expected[i])), "element {0}", i);
        }
    }

    [Fact]
    public void APassLeftByAnException_DoesNotBlockLaterPasses()
    {
        (Tensor x, _, Tensor loss, double[] expected) = SharedGraph(8);
        Tensor bad = loss * Tensor.Ones(1);
        FluentActions.Invoking(() => bad.Backward(Tensor.Ones(2))).Should().Throw<ArgumentException>();

        // A node that throws mid-pass leaves its claims behind; the next pass takes them over.
        var thrower = new ThrowingNode(loss);
        FluentActions.Invoking(() => Engine.Backward(Wrap(thrower), null, retainGraph: true, createGraph: false))
            .Should().Throw<InvalidOperationException>().WithMessage("boom");

        loss.Backward(retainGraph: true);
        float[] grad = x.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++)
        {
            ((double)grad[i]).Should().BeApproximately(expected[i], 1e-4 * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    /// <summary>A pass started inside a node's backward (a user node may do that) leaves the outer pass intact.</summary>
    [Fact]
    public void PassInsideANode_LeavesTheOuterPassIntact()
    {
        var a = Tensor.From([1f, 2f, 3f], [3], requiresGrad: true);
        var side = Tensor.From([4f, 5f], [2], requiresGrad: true);
        var b = Tensor.From([1f, 1f, 1f], [3], requiresGrad: true);
        Tensor inner = (side * side).Sum();   // ∂/∂side = 2·side = [8, 10]

        // The nested node is the sum's second input, so it runs while b's branch still waits on the outer stack.
        Tensor y = (b * 5f) + Wrap(new NestedPassNode(a * 3f, inner));
        (y * 2f).Sum().Backward();

        // y = 5b + identity(3a), with the nested pass as a side effect: ∂/∂a = 2·3 = 6, ∂/∂b = 2·5 = 10.
        a.Grad!.ToArray().Should().Equal(6f, 6f, 6f);
        b.Grad!.ToArray().Should().Equal(10f, 10f, 10f);
        side.Grad!.ToArray().Should().Equal(8f, 10f);
    }

    private static Tensor Wrap(Node node)
    {
        Tensor input = ((ITestInput)node).Input;
        return input.Detach().CloneData().WithGradFn(node);
    }

    private interface ITestInput
    {
        Tensor Input { get; }
    }

    private sealed class ThrowingNode(Tensor input) : Node(input), ITestInput
    {
        public Tensor Input { get; } = input;

        protected internal override Tensor?[] Apply(Tensor grad) => throw new InvalidOperationException("boom");
    }

    private sealed class NestedPassNode(Tensor input, Tensor inner) : Node(input), ITestInput
    {
        public Tensor Input { get; } = input;

        protected internal override Tensor?[] Apply(Tensor grad)
        {
            inner.Backward();
            return [grad];
        }
    }
}
