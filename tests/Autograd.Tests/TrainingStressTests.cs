using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// Several threads train while another forces full collections: every parameter after training, every loss and every
/// gradient must equal a recomputation on one quiet thread, bit for bit (the kernels are deterministic for any thread
/// count, so any difference is storage read after it was recycled, or state shared between passes).
/// </summary>
[Collection(nameof(FullCollections))]
public sealed class TrainingStressTests
{
    private const int Steps = 60;

    /// <summary>
    /// Trains a 64-200-200-10 MLP (sizes that cross every pooling threshold: 64×200 activations are tracked leases,
    /// the 200×200 weight's gradient is large-object storage) for <see cref="Steps"/> steps, alternating the two
    /// gradient idioms, and returns the losses and the final parameters and gradients.
    /// </summary>
    private static (float[] Losses, float[][] State) Train(int seed)
    {
        var generator = new Generator(seed);
        var model = new Sequential(
            new Linear(64, 200, generator: generator), new ReLU(),
            new Linear(200, 200, generator: generator), new ReLU(),
            new Linear(200, 10, generator: generator));
        Tensor x = Tensor.Randn([64, 64], generator: generator);
        int[] labels = [.. Enumerable.Range(0, 64).Select(i => (i * 7) % 10)];
        var losses = new float[Steps];
        Tensor[] parameters = [.. model.Parameters()];
        for (int step = 0; step < Steps; step++)
        {
            foreach (Tensor p in parameters)
            {
                if (step % 2 == 0)
                {
                    p.Grad = null;
                }
                else
                {
                    p.Grad?.Clear();
                }
            }

            Tensor loss = Functional.CrossEntropy(model.Forward(x), labels);
            loss.Backward();
            losses[step] = loss.Item();
            using (GradMode.NoGrad())
            {
                foreach (Tensor p in parameters)
                {
                    Tensor q = p;
                    q -= 0.05f * p.Grad!;
                }
            }
        }

        return (losses, [.. parameters.Select(p => p.ToArray()), .. parameters.Select(p => p.Grad!.ToArray())]);
    }

    [Fact]
    public void ThreadsTrainingWhileAnotherCollects_MatchAQuietRecomputation()
    {
        int[] seeds = [11, 12, 13];
        var expected = seeds.Select(Train).ToArray();

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        });
        collector.Start();
        var results = new (float[] Losses, float[][] State)[seeds.Length];
        Exception? failure = null;
        Thread[] trainers = [.. seeds.Select((seed, i) => new Thread(() =>
        {
            try
            {
                results[i] = Train(seed);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }))];
        foreach (Thread t in trainers)
        {
            t.Start();
        }

        foreach (Thread t in trainers)
        {
            t.Join();
        }

        stop.Cancel();
        collector.Join();

        failure.Should().BeNull();
        for (int i = 0; i < seeds.Length; i++)
        {
            results[i].Losses.Should().Equal(expected[i].Losses, "the losses of seed {0}", seeds[i]);
            results[i].Losses[^1].Should().BeLessThan(results[i].Losses[0], "training makes progress");
            for (int k = 0; k < expected[i].State.Length; k++)
            {
                results[i].State[k].Should().Equal(expected[i].State[k], "parameter or gradient {0} of seed {1}", k, seeds[i]);
            }
        }
    }
}
