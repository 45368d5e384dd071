using Autograd.NN;
using FluentAssertions;
using Physics;
using Xunit;

namespace Autograd.Tests.Samples;

/// <summary>samples/Physics: the physics-informed network for u'' = −π² sin(πx), u(0) = u(1) = 0.</summary>
public sealed class PhysicsSampleTests
{
    [Fact]
    public void ATrainedNetwork_MatchesTheExactSolution_AndItsPlotIsWritten()
    {
        string output = Path.Combine(Path.GetTempPath(), $"physics-{Guid.NewGuid():N}");
        try
        {
            // 1,000 of the sample's 3,000 steps: the residual loss is then ~1e-4 (measured), u within 1e-2 of sin(πx).
            PinnResult result = PoissonPinn.Run(new PinnOptions(Steps: 1000, OutputDirectory: output), TextWriter.Null);
            result.FinalLoss.Should().BeLessThan(1e-3);
            result.RelativeL2Error.Should().BeLessThan(1e-2);
            result.MaxAbsError.Should().BeLessThan(1e-2);
            File.ReadAllBytes(result.PlotPath).Take(4).Should().Equal(0x89, 0x50, 0x4E, 0x47);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void TheSecondDerivative_OfAKnownNetwork_IsTheHandDerivedOne()
    {
        // Every weight zero but one path: z = 2x + 1, h = tanh(tanh z) (unit 0 of both hidden layers, the others
        // tanh(0) = 0), u(x) = 3·h − 1. Its second derivative is checked against central differences of the same
        // closed form in double precision (h = 1e-4: truncation ~1e-9 times the fourth derivative, rounding ~1e-8).
        var network = PoissonPinn.NewNetwork(new Generator(0));
        var layers = network.Children().OfType<Linear>().ToArray();
        using (GradMode.NoGrad())
        {
            foreach (Tensor p in network.Parameters())
            {
                p.Clear();
            }

            layers[0].Weight[0, 0] = 2f;
            layers[0].Bias![0] = 1f;
            layers[1].Weight[0, 0] = 1f;
            layers[2].Weight[0, 0] = 3f;
            layers[2].Bias![0] = -1f;
        }

        Tensor x = Tensor.From([-0.3f, 0.1f, 0.4f]).Reshape(3, 1);
        x.RequiresGrad = true;
        (Tensor u, Tensor uxx) = PoissonPinn.WithSecondDerivative(network, x);
        static double U(double x) => (3 * Math.Tanh(Math.Tanh((2 * x) + 1))) - 1;
        float[] values = u.ToArray(), second = uxx.ToArray();
        double[] points = [-0.3, 0.1, 0.4];
        const double h = 1e-4;
        for (int i = 0; i < points.Length; i++)
        {
            double p = points[i];
            values[i].Should().BeApproximately((float)U(p), 1e-5f);
            double fd = (U(p + h) - (2 * U(p)) + U(p - h)) / (h * h);
            second[i].Should().BeApproximately((float)fd, 2e-3f);
        }
    }
}
