using System.Text.RegularExpressions;
using FluentAssertions;
using SeedTour;
using Xunit;

namespace Autograd.Tests;

/// <summary>Console redirection is process-wide, so the seed cells run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput
{
}

/// <summary>
/// Every cell of ../shared/seeds-in-csharp.md, run through samples/SeedTour exactly as written there, with its
/// printed output checked line by line: exact text where the contract marks it exact, format where it is random.
/// </summary>
[Collection(nameof(ConsoleOutput))]
public sealed class SeedTests
{
    private const string Number = @"-?\d+\.\d{4}";

    private static string[] Capture(Action cell)
    {
        TextWriter original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            cell();
        }
        finally
        {
            Console.SetOut(original);
        }

        return writer.ToString().Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void Seed000And001_PrintsWhatTheTutorialPrints()
    {
        string[] lines = Capture(Seeds.Seed000And001);

        lines[0].Should().MatchRegex($@"^Loss: tensor\({Number}, grad_fn=<BCEWithLogitsBackward>\)$");
        lines[1].Should().Be("Gradient function for z = <AddBackward>");
        lines[2].Should().Be("Gradient function for loss = <BCEWithLogitsBackward>");

        // w.Grad is 5x3 with every row equal to b.Grad, since x is all ones: dL/dw_ij = x_i * dL/dz_j.
        string bGrad = lines[8];
        bGrad.Should().MatchRegex($@"^tensor\(\[{Number}, {Number}, {Number}\]\)$");
        string row = bGrad["tensor(".Length..^1];
        lines[3].Should().Be("tensor([" + row + ",");
        lines[4].Should().Be("        " + row + ",");
        lines[7].Should().Be("        " + row + "])");
        lines[9..12].Should().Equal("True", "False", "False");
        lines[12].Should().StartWith("InvalidOperationException: Trying to backward through the graph a second time");

        // (inp + 1)^2 with inp = I: d/dinp = 2(inp + 1) = 4 on the diagonal, 2 elsewhere; then doubled; then reset.
        lines[13].Should().Be("First call");
        lines[14..19].Should().Equal(
            "tensor([[4., 2., 2., 2., 2.],",
            "        [2., 4., 2., 2., 2.],",
            "        [2., 2., 4., 2., 2.],",
            "        [2., 2., 2., 4., 2.],",
            "        [2., 2., 2., 2., 4.]])");
        lines[19].Should().Be(string.Empty);
        lines[20].Should().Be("Second call");
        lines[21].Should().Be("tensor([[8., 4., 4., 4., 4.],");
        lines[25].Should().Be("        [4., 4., 4., 4., 8.]])");
        lines[27].Should().Be("Call after zeroing gradients");
        lines[28].Should().Be("tensor([[4., 2., 2., 2., 2.],");
        lines[33].Should().Be("InvalidOperationException: grad can be implicitly created only for scalar outputs");
    }

    [Fact]
    public void Seed000_GradientsEqualSigmoidMinusTargetOverThree()
    {
        // dL/dz = (sigmoid(z) - y) / 3 for the mean of three BCE terms; dL/dw = x ⊗ dL/dz with x = ones.
        Tensor.ManualSeed(7);
        var x = Tensor.Ones(5);
        var w = Tensor.Randn([5, 3], requiresGrad: true);
        var b = Tensor.Randn([3], requiresGrad: true);
        var z = Tensor.MatMul(x, w) + b;
        var loss = Autograd.NN.Functional.BinaryCrossEntropyWithLogits(z, Tensor.Zeros(3));
        loss.Backward();

        float[] zs = z.Detach().ToArray();
        float[] expected = Array.ConvertAll(zs, v => 1f / (1f + MathF.Exp(-v)) / 3f);
        b.Grad!.ToArray().Should().Equal(expected, (p, q) => Math.Abs(p - q) < 1e-6f);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                w.Grad![i, j].Should().BeApproximately(expected[j], 1e-6f);
            }
        }
    }

    [Fact]
    public void Seed003_PrintsExactValues()
    {
        string[] lines = Capture(Seeds.Seed003);

        // z = y ln x + sin y: dz/dx = y / x = 1.5; dz/dy = ln x + cos y = 0.6931 - 0.9900 = -0.2968.
        lines[0].Should().Be("tensor(1.5000)");
        lines[1].Should().Be("tensor(-0.2968)");

        // z = (x + y)^2: dz/dx = dz/dy = dz/d(x+y) = 2(x + y) = 10.
        lines[2..5].Should().Equal("tensor(10.)", "tensor(10.)", "tensor(10.)");
        lines[5].Should().Be("train output: [8, 1], <AddmmBackward>");   // PyTorch: AddmmBackward0
        lines[6].Should().Be("eval output: [8, 1], requires grad: False");
        lines[7].Should().Be("InvalidOperationException: element 0 of tensors does not require grad and does not have a grad_fn");
    }

    [Fact]
    public void Seed004_PrintsWhatTheLessonPrints()
    {
        string[] lines = Capture(Seeds.Seed004);

        lines[0].Should().MatchRegex($@"^tensor\(\[ ?{Number}, +{Number}, +{Number}\], requires_grad=True\)$");
        lines[1].Should().MatchRegex($@"^tensor\(\[ ?{Number}, +{Number}, +{Number}\], grad_fn=<AddBackward>\)$");
        lines[2].Should().Be("<AddBackward>");
        lines[3].Should().EndWith("grad_fn=<MulBackward>)");
        lines[4].Should().MatchRegex($@"^tensor\({Number}, grad_fn=<MeanBackward>\)$");
        lines[6].Should().EndWith("grad_fn=<MulBackward>)");
        lines[7].Should().Be("[3]");

        // y = 2^11 x, so the vector-Jacobian product with v is 2048 v.
        lines[8].Should().Be("tensor([2.0480e+02, 2.0480e+03, 2.0480e-01])");
        lines[9..17].Should().Equal("False", string.Empty, "True", "<SumBackward>", "True", "False", "False", "tensor([3., 3., 3., 3.])");

        // d/dw sum(3w) = 3 every epoch; w = 1 - 3 * 0.1 * 3 = 0.1; the last output is sum(3 * 0.4) = 4.8.
        lines[17..19].Should().Equal("tensor([3., 3., 3., 3.])", "tensor([3., 3., 3., 3.])");
        lines[19].Should().Be("tensor([0.1000, 0.1000, 0.1000, 0.1000], requires_grad=True)");
        lines[20].Should().Be("tensor(4.8000, grad_fn=<SumBackward>)");
        lines[21].Should().Be("InvalidOperationException: a leaf Variable that requires grad is being used in an in-place operation.");
    }

    [Fact]
    public void Seed004_FirstCellGradientIsTwiceXPlusTwo()
    {
        // z = mean(3 (x + 2)^2) over 3 elements: dz/dx = 6 (x + 2) / 3 = 2 (x + 2).
        var x = Tensor.From([-0.3206f, 0.7642f, -0.7820f], requiresGrad: true);
        var y = x + 2;
        var z = (y * y * 3).Mean();
        z.ToString().Should().Be("tensor(11.9447, grad_fn=<MeanBackward>)");
        // The tutorial printed 8.4616, 22.9223, 4.4503 from unrounded x; from the printed (rounded) x, 3(x + 2)^2 is:
        (y * y * 3).ToString().Should().Be("tensor([ 8.4612, 22.9224,  4.4506], grad_fn=<MulBackward>)");
        y.ToString().Should().Be("tensor([1.6794, 2.7642, 1.2180], grad_fn=<AddBackward>)");
        x.ToString().Should().Be("tensor([-0.3206,  0.7642, -0.7820], requires_grad=True)");
        z.Backward();
        x.Grad!.ToArray().Should().Equal([3.3588f, 5.5284f, 2.4360f], (p, q) => Math.Abs(p - q) < 1e-5f);
    }

    [Fact]
    public void Seed002_PrintsExactValues()
    {
        string[] lines = Capture(Seeds.Seed002);

        lines.Should().Equal(
            "tensor([0., 1., 2., 3.])",
            "tensor([0., 0., 0., 0.])",
            "tensor(28., grad_fn=<MulBackward>)",
            "tensor([ 0.,  4.,  8., 12.])",   // d/dx 2 x·x = 4x
            "True",
            "tensor([1., 1., 1., 1.])",       // d/dx sum x = 1, overwriting (attach_grad), not adding
            "True",
            "True",
            "True",
            "tensor([-1., -1., -1., -1.]) tensor([5., 5., 5., 5.]) tensor([0., 0., 0., 0.])",
            "True",
            "False",
            "True");
    }

    [Fact]
    public void Seed002_Exercises_Run()
    {
        string directory = Directory.CreateTempSubdirectory("seedtour").FullName;
        string[] lines = Capture(() => Exercises.Run(directory));

        // d²/dx² sin x = -sin x.
        lines[1].Should().Be("second derivative tensor([-0.0000, -0.4794, -0.8415, -0.9093])");
        lines[2].Should().Be("-sin(x)           tensor([-0.0000, -0.4794, -0.8415, -0.9093])");
        lines[3].Should().StartWith("second Backward(): Trying to backward through the graph a second time");
        lines[4].Should().EndWith("everywhere: True");
        lines[5].Should().EndWith("everywhere: True");
        Regex.IsMatch(lines[6], @"max \|grad - cos x\| = \d\.\dE-00[5-9]$").Should().BeTrue(lines[6]);
        File.ReadAllBytes(Path.Combine(directory, "sin-and-derivative.png"))[..4].Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');

        // The second price moves only with the runner-up's bid.
        lines[7].Should().EndWith("d price / d bid = tensor([0., 0., 1., 0.])");

        // The first tutorial's graph as DOT: loss <- BCEWithLogits <- Add <- MatMul <- w, and b into Add.
        string dot = File.ReadAllText(Path.Combine(directory, "seed-graph.dot"));
        dot.Should().StartWith("digraph {").And.Contain("BCEWithLogitsBackward").And.Contain("w\\n[5, 3] float32\\nrequires_grad=True");
    }
}
