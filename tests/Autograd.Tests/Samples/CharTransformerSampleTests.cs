using CharTransformer;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Samples;

/// <summary>samples/CharTransformer: a character-level GPT on Genesis (KJV).</summary>
public sealed class CharTransformerSampleTests
{
    [Fact]
    public void AShortRunOfASmallModel_LearnsAndPrintsSamples()
    {
        // 60 characters are equally likely at the start: cross-entropy ln 60 ≈ 4.09. 80 steps of this 1-block model
        // reach a validation loss of 2.38–2.44 (measured with seeds 0, 1, 2; 2.48–2.55 after 40 steps).
        string text = Training.LoadText();
        var log = new StringWriter();
        TrainingResult result = Training.Run(text, new GptConfig(0, BlockSize: 32, Embedding: 32, Heads: 2, Layers: 1),
            new TrainingOptions(Steps: 80, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 10, SampleEvery: 40, SampleLength: 40), log);

        result.Reports.Should().HaveCount(2);
        result.Reports[^1].ValidationLoss.Should().BeLessThan(3.0);
        result.Samples.Should().HaveCount(2).And.OnlyContain(s => s.StartsWith("And God said", StringComparison.Ordinal) && s.Length == 12 + 40);
        log.ToString().Should().Contain("196,818 characters, 60 distinct").And.Contain("step    80/80");
    }

    [Fact]
    public void Logits_AtAPosition_DoNotDependOnLaterCharacters()
    {
        var model = new Gpt(new GptConfig(10, BlockSize: 8, Embedding: 16, Heads: 2, Layers: 2), new Generator(3));
        model.Eval();
        Tensor a = Tensor.From([1L, 2, 3, 4, 5, 6, 7, 8]).View(1, 8);
        Tensor b = Tensor.From([1L, 2, 3, 4, 9, 0, 0, 0]).View(1, 8);   // differs from position 4 on
        float[] la = model.Forward(a).ToArray(), lb = model.Forward(b).ToArray();

        la.Take(4 * 10).Should().Equal(lb.Take(4 * 10), "positions 0–3 attend to positions 0–3 only");
        la.Skip(4 * 10).Should().NotEqual(lb.Skip(4 * 10));
        FluentActions.Invoking(() => model.Forward(Tensor.Zeros([1, 9], DType.Int64)))
            .Should().Throw<ArgumentException>().WithMessage("Cannot forward sequence of length 9, block size is only 8*");
    }
}
