using System.Diagnostics;
using System.Globalization;
using Autograd;
using Autograd.NN;
using Autograd.Optim;

namespace Physics;

/// <summary>Training settings of <see cref="PoissonPinn.Run"/>.</summary>
/// <param name="Steps">Adam steps.</param>
/// <param name="Points">Collocation points in (0, 1), a fixed grid.</param>
/// <param name="Seed">Seed of the initial weights.</param>
/// <param name="OutputDirectory">Where <c>physics.png</c> goes.</param>
public sealed record PinnOptions(int Steps = 3000, int Points = 64, int Seed = 0, string OutputDirectory = "physics-output");

/// <summary>The outcome: the residual loss at the end and the error against the exact solution on a fine grid.</summary>
public sealed record PinnResult(double FinalLoss, double MaxAbsError, double RelativeL2Error, string PlotPath, double Seconds);

/// <summary>
/// A physics-informed network for the 1-D Poisson problem u''(x) = −π² sin(πx) on [0, 1] with u(0) = u(1) = 0, whose
/// exact solution is u(x) = sin(πx). The network u_θ (1-32-32-1, tanh) is trained on the residual
/// mean((u_θ'' − f)²) at collocation points plus the boundary term u_θ(0)² + u_θ(1)²; u_θ'' comes from two calls of
/// <see cref="Autodiff.Grad(Tensor, Tensor, Tensor?, bool?, bool, bool?, bool)"/> with <c>createGraph</c>, so that the
/// loss, which contains the second derivative, can itself be back-propagated to θ.
/// </summary>
public static class PoissonPinn
{
    /// <summary>The right-hand side f(x) = −π² sin(πx).</summary>
    public static Tensor Source(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return -(Math.PI * Math.PI) * Tensor.Sin(Math.PI * x);
    }

    /// <summary>The network: 1 → 32 → 32 → 1 with tanh (smooth, so its second derivative is informative).</summary>
    public static Sequential NewNetwork(Generator generator) => new(
        new Linear(1, 32, generator: generator), new Tanh(),
        new Linear(32, 32, generator: generator), new Tanh(),
        new Linear(32, 1, generator: generator));

    /// <summary>u_θ(x) and its second derivative at <paramref name="x"/> ([n, 1], requiring grad), both recorded.</summary>
    public static (Tensor U, Tensor Uxx) WithSecondDerivative(Sequential network, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(network);
        Tensor u = network.Forward(x);
        // Σ u_i has gradient ∂u_i/∂x_i in row i, since each row of x only affects its own output.
        Tensor ux = Autodiff.Grad(u.Sum(), x, createGraph: true)!;
        Tensor uxx = Autodiff.Grad(ux.Sum(), x, createGraph: true)!;
        return (u, uxx);
    }

    /// <summary>Trains the network and compares it with sin(πx) on 201 points; writes the plot.</summary>
    public static PinnResult Run(PinnOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        Sequential network = NewNetwork(new Generator(options.Seed));
        var optimizer = new Adam(network.Parameters(), lr: 1e-2);
        var scheduler = new CosineAnnealingLR(optimizer, tMax: options.Steps);
        // Interior collocation points (excluding the ends, where the boundary term acts).
        Tensor x = Tensor.Linspace(0, 1, options.Points + 2).Narrow(0, 1, options.Points).Reshape(-1, 1).Detach();
        x.RequiresGrad = true;
        Tensor f = Source(x.Detach());
        Tensor boundary = Tensor.From([0f, 1f]).Reshape(2, 1);
        double loss = double.NaN;
        for (int step = 1; step <= options.Steps; step++)
        {
            optimizer.ZeroGrad(setToNone: true);
            (_, Tensor uxx) = WithSecondDerivative(network, x);
            Tensor residual = (uxx - f).Square().Mean();
            Tensor edges = network.Forward(boundary).Square().Sum();
            Tensor total = residual + edges;
            total.Backward();
            optimizer.Step();
            scheduler.Step();
            loss = total.Item();
            if (step == 1 || step % (options.Steps / 10) == 0)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {step,5}/{options.Steps}  loss {loss:E3}  (residual {residual.Item():E3}, boundary {edges.Item():E3})"));
            }
        }

        Tensor grid = Tensor.Linspace(0, 1, 201).Reshape(-1, 1);
        float[] predicted, exact;
        using (GradMode.NoGrad())
        {
            predicted = network.Forward(grid).ToArray();
            exact = Tensor.Sin(Math.PI * grid).ToArray();
        }

        double maxError = 0, errorSq = 0, exactSq = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double e = predicted[i] - exact[i];
            maxError = Math.Max(maxError, Math.Abs(e));
            errorSq += e * e;
            exactSq += (double)exact[i] * exact[i];
        }

        double relative = Math.Sqrt(errorSq / exactSq);
        string plot = Path.Combine(options.OutputDirectory, "physics.png");
        Plot(grid.ToArray(), predicted, exact, plot);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"against sin(πx) on 201 points: max |error| {maxError:E2}, relative L2 error {relative:E2}; plot: {plot}; {clock.Elapsed.TotalSeconds:F1} s"));
        return new PinnResult(loss, maxError, relative, plot, clock.Elapsed.TotalSeconds);
    }

    private static void Plot(float[] x, float[] predicted, float[] exact, string path)
    {
        var plot = new ScottPlot.Plot();
        double[] xs = [.. x.Select(v => (double)v)];
        var truth = plot.Add.Scatter(xs, exact.Select(v => (double)v).ToArray());
        truth.LegendText = "exact: sin(πx)";
        truth.MarkerSize = 0;
        truth.LineWidth = 3;
        var network = plot.Add.Scatter(xs, predicted.Select(v => (double)v).ToArray());
        network.LegendText = "network u(x)";
        network.MarkerSize = 0;
        network.LinePattern = ScottPlot.LinePattern.Dashed;
        network.LineWidth = 2;
        plot.Title("u'' = -π² sin(πx), u(0) = u(1) = 0: physics-informed network");
        plot.XLabel("x");
        plot.YLabel("u");
        plot.ShowLegend(ScottPlot.Alignment.LowerCenter);
        plot.SavePng(path, 800, 500);
    }
}
