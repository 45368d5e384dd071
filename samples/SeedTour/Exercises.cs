using Autograd;

namespace SeedTour;

/// <summary>The exercises at the end of seed 002, as runnable code.</summary>
public static class Exercises
{
    public static void Run(string outputDirectory)
    {
        SecondDerivative();
        BackwardTwice();
        ControlFlowOnVectorAndMatrix();
        PlotSinAndDerivative(Path.Combine(outputDirectory, "sin-and-derivative.png"));
        SecondPriceAuction();
        WriteSeedGraph(Path.Combine(outputDirectory, "seed-graph.dot"));
    }

    /// <summary>
    /// Writes the first tutorial's graph (z = x·w + b, loss = BCEWithLogits(z, y)) as Graphviz DOT, the picture the
    /// tutorial shows: render it with <c>dot -Tsvg seed-graph.dot -o seed-graph.svg</c>.
    /// </summary>
    public static void WriteSeedGraph(string path)
    {
        var x = Tensor.Ones(5);
        var y = Tensor.Zeros(3);
        var w = Tensor.Randn([5, 3], requiresGrad: true);
        var b = Tensor.Randn([3], requiresGrad: true);
        Tensor z = Tensor.MatMul(x, w) + b;
        Tensor loss = Autograd.NN.Functional.BinaryCrossEntropyWithLogits(z, y);
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [w] = "w", [b] = "b", [loss] = "loss" };
        File.WriteAllText(path, GraphExport.ToDot(loss, names, showSaved: true));
    }

    /// <summary>d²/dx² sin x = −sin x, by differentiating the gradient again (createGraph).</summary>
    public static void SecondDerivative()
    {
        var x = Tensor.From([0f, 0.5f, 1f, 2f], requiresGrad: true);
        Tensor.Sin(x).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;              // cos x, itself recorded
        x.Grad = null;
        first.Sum().Backward();
        Console.WriteLine($"first derivative  {first.Detach()}");
        Console.WriteLine($"second derivative {x.Grad}");
        Console.WriteLine($"-sin(x)           {-Tensor.Sin(x.Detach())}");
    }

    /// <summary>A second backward through a freed graph fails, as in PyTorch.</summary>
    public static void BackwardTwice()
    {
        var x = Tensor.Arange(4);
        x.RequiresGrad = true;
        var y = (x * x).Sum();
        y.Backward();
        try
        {
            y.Backward();
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"second Backward(): {e.Message[..60]}...");
        }
    }

    /// <summary>The control-flow function on a vector and a matrix: still piecewise linear, so grad = d / a.</summary>
    public static void ControlFlowOnVectorAndMatrix()
    {
        foreach (int[] shape in new[] { new[] { 5 }, new[] { 3, 4 } })
        {
            var a = Tensor.Randn(shape);
            a.AttachGrad();
            Tensor d;
            using (GradMode.Record())
            {
                d = Seeds.Fn(a);
            }

            d.Sum().Backward();
            float k = d.Sum().Item() / a.Sum().Item();
            Console.WriteLine($"shape {a.Shape}: gradient is the constant {a.Grad!.ToArray()[0]} everywhere: {a.Grad.AllClose(Tensor.Full(a.Shape, k), rtol: 1e-4f)}");
        }
    }

    /// <summary>Plots sin x and its derivative obtained by autograd (not by cos) over [−2π, 2π] into a PNG.</summary>
    public static void PlotSinAndDerivative(string path)
    {
        const int Width = 640, Height = 320;
        var x = Tensor.Arange(-2 * MathF.PI, 2 * MathF.PI, 4 * MathF.PI / Width);
        x.RequiresGrad = true;
        var y = Tensor.Sin(x);
        y.Sum().Backward();
        float[] values = y.Detach().ToArray(), slopes = x.Grad!.ToArray();

        var image = new PngImage(Width, Height);
        image.Fill(255, 255, 255);
        for (int px = 0; px < Width; px++)
        {
            image.Set(px, Height / 2, 180, 180, 180);
        }

        for (int i = 0; i < values.Length && i < Width; i++)
        {
            image.Set(i, (int)((Height / 2) - (values[i] * Height * 0.4f)), 30, 90, 200);
            image.Set(i, (int)((Height / 2) - (slopes[i] * Height * 0.4f)), 220, 60, 30);
        }

        image.Save(path);
        float maxError = 0;
        float[] xs = x.Detach().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(slopes[i] - MathF.Cos(xs[i])));
        }

        Console.WriteLine($"wrote {path}: sin x (blue) and d/dx sin x by autograd (red); max |grad - cos x| = {maxError:E1}");
    }

    /// <summary>
    /// A second-price auction: the winner pays the second-highest bid. The price's gradient is 1 for the runner-up's
    /// bid and 0 for every other bid (the winner's own bid does not move the price).
    /// </summary>
    public static void SecondPriceAuction()
    {
        var bids = Tensor.From([3.0f, 7.5f, 5.2f, 1.0f], requiresGrad: true);
        float highest = bids.Detach().Max().Item();
        float[] others = bids.Detach().ToArray();
        for (int i = 0; i < others.Length; i++)
        {
            others[i] = others[i] == highest ? 0f : 1f;
        }

        var price = (bids * Tensor.From(others)).Max();
        price.Backward();
        Console.WriteLine($"bids {bids.Detach()}, price {price.Item()}, d price / d bid = {bids.Grad}");
    }
}
