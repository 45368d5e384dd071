using Digits;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Samples;

/// <summary>samples/Digits as its README command runs it (default options), into a scratch directory.</summary>
public sealed class DigitsSampleTests
{
    [Fact]
    public void TheDefaultRun_ReachesNinetySevenPercent_AndItsCheckpointsReloadToTheSameAccuracy()
    {
        string output = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}");
        try
        {
            var log = new StringWriter();
            DigitsResult result = DigitsTraining.Run(new DigitsOptions(OutputDirectory: output), log);

            result.Mlp.Should().HaveCount(40);
            result.Mlp[^1].TestAccuracy.Should().BeGreaterThanOrEqualTo(0.97);
            result.Cnn[^1].TestAccuracy.Should().BeGreaterThanOrEqualTo(0.97);
            result.Mlp[^1].TrainLoss.Should().BeLessThan(result.Mlp[0].TrainLoss / 10);
            result.MlpReloadedAccuracy.Should().Be(result.Mlp[^1].TestAccuracy);
            result.CnnReloadedAccuracy.Should().Be(result.Cnn[^1].TestAccuracy);

            byte[] png = File.ReadAllBytes(result.PlotPath);
            png.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
            png.Length.Should().BeGreaterThan(10_000, "a drawn plot, not an empty image");
            File.Exists(Path.Combine(output, "mlp.safetensors")).Should().BeTrue();
            File.Exists(Path.Combine(output, "cnn.safetensors")).Should().BeTrue();
            log.ToString().Should().Contain("digits: 1797 images, 1438 for training, 359 for testing")
                .And.Contain("mlp epoch 40/40 [####################]");
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
    public void TheDataset_HasPyTorchsShapesAndLabels()
    {
        (Tensor images, Tensor labels) = DigitsTraining.LoadDigits();
        images.Shape.Should().Equal(1797, 1, 8, 8);
        labels.DType.Should().Be(DType.Int64);
        images.Max().Item().Should().Be(1f);    // pixels 0..16, scaled by 1/16
        images.Min().Item().Should().Be(0f);
        labels.ToArray<long>().Take(10).Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);   // the file's first ten rows
    }
}
