using Autograd.Kernels;

namespace Autograd.Optim;

/// <summary>
/// L-BFGS (PyTorch's <c>torch.optim.LBFGS</c>), following its algorithm step for step: each <see cref="Step(Func{Tensor})"/>
/// runs up to <c>maxIter</c> quasi-Newton iterations, the direction from the two-loop recursion over the last
/// <c>historySize</c> curvature pairs <c>(s, y)</c> with <c>H₀ = sᵀy / yᵀy</c>, the step either fixed (<c>lr</c>, the first
/// one <c>min(1, 1/‖g‖₁)·lr</c>) or from the strong-Wolfe line search with cubic interpolation (<c>lineSearchFn:
/// "strong_wolfe"</c>, c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations), stopping on <c>toleranceGrad</c> (max |g|),
/// <c>toleranceChange</c> (step or loss change) or <c>maxEval</c> evaluations.
/// </summary>
/// <remarks>
/// One group only, as PyTorch. The flat vectors (gradient, direction, history) are held in float64 whatever the
/// parameters' dtype: float64 parameters follow PyTorch exactly; float32 ones are updated with float32 roundings but
/// their curvature history is more precise than PyTorch's float32 tensors.
/// </remarks>
public sealed class LBFGS : Optimizer
{
    private readonly Tensor[] _params;
    private readonly int _numel;
    private LbfgsState? _state;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>; <paramref name="maxEval"/> defaults to <c>maxIter·5/4</c>.</summary>
    public LBFGS(IEnumerable<Tensor> parameters, double lr = 1, int maxIter = 20, int? maxEval = null, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, string? lineSearchFn = null)
        : this(Single(parameters), lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn)
    {
    }

    /// <summary>Creates the optimizer over one parameter group (PyTorch's LBFGS rejects several).</summary>
    public LBFGS(IEnumerable<ParamGroup> paramGroups, double lr = 1, int maxIter = 20, int? maxEval = null, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, string? lineSearchFn = null)
        : base(paramGroups, MakeDefaults(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn))
    {
        if (ParamGroups.Count != 1)
        {
            throw new ArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
        }

        _params = [.. ParamGroups[0].Parameters];
        _numel = _params.Sum(p => p.Count);
    }

    private static Dictionary<string, object> MakeDefaults(double lr, int maxIter, int? maxEval, double toleranceGrad, double toleranceChange,
        int historySize, string? lineSearchFn)
    {
        var defaults = new Dictionary<string, object>
        {
            ["lr"] = lr,
            ["max_iter"] = maxIter,
            ["max_eval"] = maxEval ?? (maxIter * 5 / 4),
            ["tolerance_grad"] = toleranceGrad,
            ["tolerance_change"] = toleranceChange,
            ["history_size"] = historySize,
        };
        if (lineSearchFn is not null)
        {
            defaults["line_search_fn"] = lineSearchFn;
        }

        return defaults;
    }

    /// <summary>L-BFGS needs the closure: throws.</summary>
    public override void Step() => throw new InvalidOperationException("LBFGS.Step requires a closure that reevaluates the model and returns the loss: call Step(closure)");

    /// <summary>Performs one L-BFGS step (up to <c>maxIter</c> iterations); returns the loss of the first evaluation.</summary>
    public override Tensor Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ParamGroup group = ParamGroups[0];
        double lr = group.LearningRate, toleranceGrad = group.Double("tolerance_grad"), toleranceChange = group.Double("tolerance_change");
        int maxIter = group.Int("max_iter"), maxEval = group.Int("max_eval"), historySize = group.Int("history_size");
        string? lineSearchFn = group.Contains("line_search_fn") ? (string)group["line_search_fn"] : null;
        if (lineSearchFn is not null && lineSearchFn != "strong_wolfe")
        {
            throw new InvalidOperationException("only 'strong_wolfe' is supported");
        }

        LbfgsState state = _state ??= new LbfgsState();
        SetState(_params[0], state);
        Tensor origLoss = Evaluate(closure);
        double loss = origLoss.Item<double>();
        int currentEvals = 1;
        state.FuncEvals++;
        double[] flatGrad = GatherFlatGrad();
        if (AbsMax(flatGrad) <= toleranceGrad)
        {
            return origLoss;
        }

        double[]? d = state.D;
        double t = state.T;
        List<double[]> oldDirs = state.OldDirs, oldStps = state.OldStps;
        List<double> ro = state.Ro;
        double hDiag = state.HDiag;
        double[]? prevFlatGrad = state.PrevFlatGrad;
        double prevLoss = state.PrevLoss;
        int nIter = 0;
        while (nIter < maxIter)
        {
            nIter++;
            state.NIter++;
            if (state.NIter == 1)
            {
                d = Scale(flatGrad, -1);
                oldDirs.Clear();
                oldStps.Clear();
                ro.Clear();
                hDiag = 1;
            }
            else
            {
                double[] y = Sub(flatGrad, prevFlatGrad!);
                double[] s = Scale(d!, t);
                double ys = Dot(y, s);
                if (ys > 1e-10)
                {
                    if (oldDirs.Count == historySize)
                    {
                        oldDirs.RemoveAt(0);
                        oldStps.RemoveAt(0);
                        ro.RemoveAt(0);
                    }

                    oldDirs.Add(y);
                    oldStps.Add(s);
                    ro.Add(1.0 / ys);
                    hDiag = ys / Dot(y, y);
                }

                int numOld = oldDirs.Count;
                var al = new double[Math.Max(historySize, numOld)];
                double[] q = Scale(flatGrad, -1);
                for (int i = numOld - 1; i >= 0; i--)
                {
                    al[i] = Dot(oldStps[i], q) * ro[i];
                    AddInPlace(q, oldDirs[i], -al[i]);
                }

                double[] r = Scale(q, hDiag);
                d = r;
                for (int i = 0; i < numOld; i++)
                {
                    double beI = Dot(oldDirs[i], r) * ro[i];
                    AddInPlace(r, oldStps[i], al[i] - beI);
                }
            }

            prevFlatGrad = (double[])flatGrad.Clone();
            prevLoss = loss;
            t = state.NIter == 1 ? Math.Min(1.0, 1.0 / AbsSum(flatGrad)) * lr : lr;
            double gtd = Dot(flatGrad, d!);
            if (gtd > -toleranceChange)
            {
                break;
            }

            int lsFuncEvals = 0;
            bool optCond = false;
            if (lineSearchFn is not null)
            {
                Tensor[] xInit = ClonedParams();
                (loss, flatGrad, t, lsFuncEvals) = StrongWolfe(closure, xInit, t, d!, loss, flatGrad, gtd, toleranceChange);
                AddGrad(t, d!);
                optCond = AbsMax(flatGrad) <= toleranceGrad;
            }
            else
            {
                AddGrad(t, d!);
                if (nIter != maxIter)
                {
                    loss = Evaluate(closure).Item<double>();
                    flatGrad = GatherFlatGrad();
                    optCond = AbsMax(flatGrad) <= toleranceGrad;
                    lsFuncEvals = 1;
                }
            }

            currentEvals += lsFuncEvals;
            state.FuncEvals += lsFuncEvals;
            if (nIter == maxIter || currentEvals >= maxEval || optCond)
            {
                break;
            }

            if (AbsMax(Scale(d!, t)) <= toleranceChange || Math.Abs(loss - prevLoss) < toleranceChange)
            {
                break;
            }
        }

        state.D = d;
        state.T = t;
        state.HDiag = hDiag;
        state.PrevFlatGrad = prevFlatGrad;
        state.PrevLoss = prevLoss;
        return origLoss;
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group) => throw new InvalidOperationException("LBFGS.Step requires a closure");

    private protected override Dictionary<string, object> SaveState(object state)
    {
        var s = (LbfgsState)state;
        var entries = new Dictionary<string, object>
        {
            ["func_evals"] = s.FuncEvals,
            ["n_iter"] = s.NIter,
            ["t"] = s.T,
            ["H_diag"] = s.HDiag,
            ["prev_loss"] = s.PrevLoss,
            ["old_dirs"] = s.OldDirs.Select(v => Tensor.From(v)).ToArray(),
            ["old_stps"] = s.OldStps.Select(v => Tensor.From(v)).ToArray(),
            ["ro"] = s.Ro.ToArray(),
        };
        if (s.D is { } d)
        {
            entries["d"] = Tensor.From(d);
        }

        if (s.PrevFlatGrad is { } g)
        {
            entries["prev_flat_grad"] = Tensor.From(g);
        }

        return entries;
    }

    private protected override object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved)
    {
        static double[] Vector(object o) => ((Tensor)o).ToArray<double>();
        var state = new LbfgsState
        {
            FuncEvals = Convert.ToInt32(saved["func_evals"], System.Globalization.CultureInfo.InvariantCulture),
            NIter = Convert.ToInt32(saved["n_iter"], System.Globalization.CultureInfo.InvariantCulture),
            T = (double)saved["t"],
            HDiag = (double)saved["H_diag"],
            PrevLoss = (double)saved["prev_loss"],
            D = saved.TryGetValue("d", out object? d) ? Vector(d) : null,
            PrevFlatGrad = saved.TryGetValue("prev_flat_grad", out object? g) ? Vector(g) : null,
        };
        state.OldDirs.AddRange(((Tensor[])saved["old_dirs"]).Select(t => Vector(t)));
        state.OldStps.AddRange(((Tensor[])saved["old_stps"]).Select(t => Vector(t)));
        state.Ro.AddRange((double[])saved["ro"]);
        _state = state;
        return state;
    }

    private static Tensor Evaluate(Func<Tensor> closure)
    {
        using (GradMode.EnableGrad())
        {
            return closure();
        }
    }

    private double[] GatherFlatGrad()
    {
        var flat = new double[_numel];
        int offset = 0;
        foreach (Tensor p in _params)
        {
            if (p.Grad is { } grad)
            {
                OptimizerUpdate.Gather(grad, flat, offset);
            }

            offset += p.Count;
        }

        return flat;
    }

    private void AddGrad(double stepSize, double[] update)
    {
        using (GradMode.NoGrad())
        {
            int offset = 0;
            foreach (Tensor p in _params)
            {
                OptimizerUpdate.AddScaled(p, update, offset, stepSize);
                offset += p.Count;
            }
        }
    }

    private Tensor[] ClonedParams()
    {
        using (GradMode.NoGrad())
        {
            return [.. _params.Select(p => p.Clone())];
        }
    }

    private void SetParams(Tensor[] values)
    {
        using (GradMode.NoGrad())
        {
            for (int i = 0; i < _params.Length; i++)
            {
                _params[i].CopyFrom(values[i]);
            }
        }
    }

    private (double Loss, double[] Grad) DirectionalEvaluate(Func<Tensor> closure, Tensor[] x, double t, double[] d)
    {
        AddGrad(t, d);
        double loss = Evaluate(closure).Item<double>();
        double[] flatGrad = GatherFlatGrad();
        SetParams(x);
        return (loss, flatGrad);
    }

    private (double Loss, double[] Grad, double T, int Evals) StrongWolfe(Func<Tensor> closure, Tensor[] x, double t, double[] d, double f,
        double[] g, double gtd, double toleranceChange, double c1 = 1e-4, double c2 = 0.9, int maxLs = 25)
    {
        double dNorm = AbsMax(d);
        g = (double[])g.Clone();
        (double fNew, double[] gNew) = DirectionalEvaluate(closure, x, t, d);
        int lsFuncEvals = 1;
        double gtdNew = Dot(gNew, d);
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g;
        bool done = false;
        int lsIter = 0;
        double[] bracket = [], bracketF = [], bracketGtd = [];
        double[][] bracketG = [];
        while (lsIter < maxLs)
        {
            if (fNew > (f + (c1 * t * gtd)) || (lsIter > 1 && fNew >= fPrev))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, (double[])gNew.Clone()], [gtdPrev, gtdNew]);
                break;
            }

            if (Math.Abs(gtdNew) <= -c2 * gtd)
            {
                (bracket, bracketF, bracketG) = ([t], [fNew], [gNew]);
                done = true;
                break;
            }

            if (gtdNew >= 0)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, (double[])gNew.Clone()], [gtdPrev, gtdNew]);
                break;
            }

            double minStep = t + (0.01 * (t - tPrev)), maxStep = t * 10, tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep));
            tPrev = tmp;
            fPrev = fNew;
            gPrev = (double[])gNew.Clone();
            gtdPrev = gtdNew;
            (fNew, gNew) = DirectionalEvaluate(closure, x, t, d);
            lsFuncEvals++;
            gtdNew = Dot(gNew, d);
            lsIter++;
        }

        if (lsIter == maxLs)
        {
            (bracket, bracketF, bracketG) = ([0, t], [f, fNew], [g, gNew]);
        }

        bool insufProgress = false;
        (int lowPos, int highPos) = bracketF[0] <= bracketF[^1] ? (0, 1) : (1, 0);
        while (!done && lsIter < maxLs)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < toleranceChange)
            {
                break;
            }

            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null);
            double bMax = Math.Max(bracket[0], bracket[1]), bMin = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (bMax - bMin);
            if (Math.Min(bMax - t, t - bMin) < eps)
            {
                if (insufProgress || t >= bMax || t <= bMin)
                {
                    t = Math.Abs(t - bMax) < Math.Abs(t - bMin) ? bMax - eps : bMin + eps;
                    insufProgress = false;
                }
                else
                {
                    insufProgress = true;
                }
            }
            else
            {
                insufProgress = false;
            }

            (fNew, gNew) = DirectionalEvaluate(closure, x, t, d);
            lsFuncEvals++;
            gtdNew = Dot(gNew, d);
            lsIter++;
            if (fNew > (f + (c1 * t * gtd)) || fNew >= bracketF[lowPos])
            {
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG[highPos] = (double[])gNew.Clone();
                bracketGtd[highPos] = gtdNew;
                (lowPos, highPos) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0)
                {
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos];
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }

                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG[lowPos] = (double[])gNew.Clone();
                bracketGtd[lowPos] = gtdNew;
            }
        }

        return (bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals);
    }

    /// <summary>
    /// The minimizer of the cubic through <c>(x₁, f₁, g₁)</c> and <c>(x₂, f₂, g₂)</c>, clamped to the bounds: with
    /// <c>d₁ = g₁ + g₂ − 3(f₁ − f₂)/(x₁ − x₂)</c> and <c>d₂ = √(d₁² − g₁g₂)</c>,
    /// <c>x₂ − (x₂ − x₁)(g₂ + d₂ − d₁)/(g₂ − g₁ + 2d₂)</c>; the bounds' midpoint when <c>d₁² &lt; g₁g₂</c>.
    /// </summary>
    private static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, (double Min, double Max)? bounds)
    {
        (double xminBound, double xmaxBound) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        double d1 = g1 + g2 - (3 * (f1 - f2) / (x1 - x2));
        double d2Square = (d1 * d1) - (g1 * g2);
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minPos = x1 <= x2
                ? x2 - ((x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + (2 * d2))))
                : x1 - ((x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + (2 * d2))));
            return Math.Min(Math.Max(minPos, xminBound), xmaxBound);
        }

        return (xminBound + xmaxBound) / 2.0;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double AbsMax(double[] a)
    {
        double max = 0;
        foreach (double v in a)
        {
            max = double.IsNaN(v) ? double.NaN : Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static double AbsSum(double[] a) => a.Sum(Math.Abs);

    private static double[] Scale(double[] a, double s) => [.. a.Select(v => v * s)];

    private static double[] Sub(double[] a, double[] b) => [.. a.Select((v, i) => v - b[i])];

    private static void AddInPlace(double[] a, double[] b, double alpha)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = Math.FusedMultiplyAdd(alpha, b[i], a[i]);
        }
    }

    private sealed class LbfgsState
    {
        public int FuncEvals;
        public int NIter;
        public double[]? D;
        public double T;
        public double HDiag = 1;
        public double[]? PrevFlatGrad;
        public double PrevLoss;
        public readonly List<double[]> OldDirs = [];
        public readonly List<double[]> OldStps = [];
        public readonly List<double> Ro = [];
    }
}
