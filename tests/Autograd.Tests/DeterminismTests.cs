using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>The same inputs give bit-identical outputs and gradients whatever the intra-op thread count.</summary>
public sealed class DeterminismTests
{
    private static (float[] Output, float[][] Grads) Run(int threads, Func<Tensor[], Tensor> step, Tensor[] inputs)
    {
        int previous = Parallelism.NumThreads;
        Parallelism.NumThreads = threads;
        try
        {
            Tensor[] leaves = Array.ConvertAll(inputs, t =>
            {
                Tensor copy = t.Detach().Clone();
                copy.RequiresGrad = true;
                return copy;
            });
            Tensor output = step(leaves);
            output.Backward();
            return (output.ToArray(), Array.ConvertAll(leaves, l => l.Grad!.ToArray()));
        }
        finally
        {
            Parallelism.NumThreads = previous;
        }
    }

    private static void AssertIdentical(Func<Tensor[], Tensor> step, params Tensor[] inputs)
    {
        (float[] output1, float[][] grads1) = Run(1, step, inputs);
        (float[] output2, float[][] grads2) = Run(2, step, inputs);
        output2.Should().Equal(output1, (p, q) => BitConverter.SingleToInt32Bits(p) == BitConverter.SingleToInt32Bits(q));
        for (int i = 0; i < grads1.Length; i++)
        {
            grads2[i].Should().Equal(grads1[i], (p, q) => BitConverter.SingleToInt32Bits(p) == BitConverter.SingleToInt32Bits(q));
        }
    }

    [Fact]
    public void ElementwiseWorkload_IsBitIdenticalOnOneAndTwoThreads()
    {
        // Long enough (5 chunks) for every kernel and the sum to be split across threads.
        var x = Tensor.Randn([300_000], generator: new Generator(61));
        AssertIdentical(t => ((Tensor.Sin(t[0]) * t[0]) + Tensor.Exp(-t[0])).Sum(), x);
        AssertIdentical(t => (Tensor.Tanh(t[0]) + Tensor.Sigmoid(t[0]) + Tensor.Cos(t[0] * 2f)).Mean(), x);
    }

    [Fact]
    public void MlpStep_IsBitIdenticalOnOneAndTwoThreads()
    {
        var input = Tensor.Randn([64, 300], generator: new Generator(62));
        var w1 = Tensor.Randn([256, 300], generator: new Generator(63)) * 0.05f;
        var b1 = Tensor.Randn([256], generator: new Generator(64)) * 0.05f;
        var w2 = Tensor.Randn([10, 256], generator: new Generator(65)) * 0.05f;
        int[] targets = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        AssertIdentical(
            t => Functional.CrossEntropy(Functional.Linear(Tensor.Relu(Functional.Linear(input, t[0], t[1])), t[2]), targets),
            w1, b1, w2);
    }

    [Fact]
    public void BatchedProducts_AreBitIdenticalOnOneAndTwoThreads()
    {
        // 64 small products of 24×16·16×20: split across threads a whole product at a time.
        var a = Tensor.Randn([64, 24, 16], generator: new Generator(68));
        var b = Tensor.Randn([16, 20], generator: new Generator(69));
        AssertIdentical(t => Tensor.Tanh(Tensor.MatMul(t[0], t[1])).Sum(), a, b);
        AssertIdentical(t => Tensor.Tanh(Tensor.MatMul(t[0], t[1].Transpose(1, 2))).Sum(), a, Tensor.Randn([64, 20, 16], generator: new Generator(70)));
    }

    [Fact]
    public void LargeMatrixProduct_IsBitIdenticalOnOneAndTwoThreads()
    {
        var a = Tensor.Randn([300, 257], generator: new Generator(66));
        var b = Tensor.Randn([257, 301], generator: new Generator(67));
        AssertIdentical(t => (Tensor.MatMul(t[0], t[1]) * Tensor.MatMul(t[0], t[1])).Sum(), a, b);
    }
}
