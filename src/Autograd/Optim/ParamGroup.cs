using System.Globalization;

namespace Autograd.Optim;

/// <summary>
/// A group of parameters with its own optimization options (one of PyTorch's <c>optimizer.param_groups</c> dicts). Options
/// left unset when the group is given to an optimizer take the optimizer's defaults (PyTorch's <c>setdefault</c>), e.g.
/// <c>new Adam([new ParamGroup(encoder.Parameters()) { LearningRate = 1e-4 }, new ParamGroup(head.Parameters())], lr: 1e-3)</c>.
/// The typed properties read and write entries of <see cref="Options"/> under PyTorch's key names (<c>lr</c>,
/// <c>weight_decay</c>, <c>betas</c> …); reading an option the group does not hold throws <see cref="KeyNotFoundException"/>.
/// Changing an option (as a scheduler changes <see cref="LearningRate"/>) takes effect at the next step.
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, object> _options = [];

    /// <summary>Creates a group over <paramref name="parameters"/> with no options set.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Items = [.. parameters];
    }

    /// <summary>The parameters of the group, in order (PyTorch's <c>group['params']</c>).</summary>
    public IReadOnlyList<Tensor> Parameters => Items;

    /// <summary>The parameters as an array, for loops that must not allocate an enumerator.</summary>
    internal Tensor[] Items { get; }

    /// <summary>The options by PyTorch's key names (<c>lr</c>, <c>betas</c> as a <c>(double, double)</c> tuple …).</summary>
    public IReadOnlyDictionary<string, object> Options => _options;

    /// <summary>An option by PyTorch's key name (schedulers add e.g. <c>initial_lr</c>, <c>max_lr</c>).</summary>
    public object this[string key]
    {
        get => _options.TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"the parameter group has no option '{key}'");
        set => _options[key] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Whether the group holds the option <paramref name="key"/>.</summary>
    public bool Contains(string key) => _options.ContainsKey(key);

    /// <summary>Sets <paramref name="key"/> only if the group does not hold it (PyTorch's <c>dict.setdefault</c>).</summary>
    public void SetDefault(string key, object value) => _options.TryAdd(key, value);

    /// <summary>The learning rate (<c>lr</c>).</summary>
    public double LearningRate { get => Double("lr"); set => _options["lr"] = value; }

    /// <summary>The learning rate a scheduler started from (<c>initial_lr</c>, set by the first scheduler attached).</summary>
    public double InitialLearningRate { get => Double("initial_lr"); set => _options["initial_lr"] = value; }

    /// <summary>The weight decay (<c>weight_decay</c>): an L2 penalty added to the gradient, decoupled in AdamW.</summary>
    public double WeightDecay { get => Double("weight_decay"); set => _options["weight_decay"] = value; }

    /// <summary>The momentum factor (<c>momentum</c>) of SGD and RMSprop.</summary>
    public double Momentum { get => Double("momentum"); set => _options["momentum"] = value; }

    /// <summary>SGD's dampening of the momentum (<c>dampening</c>).</summary>
    public double Dampening { get => Double("dampening"); set => _options["dampening"] = value; }

    /// <summary>Whether SGD uses Nesterov momentum (<c>nesterov</c>).</summary>
    public bool Nesterov { get => Bool("nesterov"); set => _options["nesterov"] = value; }

    /// <summary>Whether the objective is maximized instead of minimized (<c>maximize</c>).</summary>
    public bool Maximize { get => Bool("maximize"); set => _options["maximize"] = value; }

    /// <summary>Adam's coefficients of the running averages of the gradient and its square (<c>betas</c>).</summary>
    public (double Beta1, double Beta2) Betas
    {
        get => this["betas"] is ValueTuple<double, double> betas ? betas : throw new InvalidCastException("the option 'betas' is not a (double, double)");
        set => _options["betas"] = value;
    }

    /// <summary>The term added to the denominator for numerical stability (<c>eps</c>).</summary>
    public double Eps { get => Double("eps"); set => _options["eps"] = value; }

    /// <summary>Whether Adam/AdamW use the AMSGrad variant (<c>amsgrad</c>).</summary>
    public bool Amsgrad { get => Bool("amsgrad"); set => _options["amsgrad"] = value; }

    /// <summary>RMSprop's smoothing constant (<c>alpha</c>).</summary>
    public double Alpha { get => Double("alpha"); set => _options["alpha"] = value; }

    /// <summary>Whether RMSprop normalizes by the estimated variance (<c>centered</c>).</summary>
    public bool Centered { get => Bool("centered"); set => _options["centered"] = value; }

    /// <summary>Adagrad's learning-rate decay (<c>lr_decay</c>).</summary>
    public double LrDecay { get => Double("lr_decay"); set => _options["lr_decay"] = value; }

    /// <summary>Adagrad's starting value of the sum of squared gradients (<c>initial_accumulator_value</c>).</summary>
    public double InitialAccumulatorValue { get => Double("initial_accumulator_value"); set => _options["initial_accumulator_value"] = value; }

    internal double Double(string key) => this[key] switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        var other => throw new InvalidCastException($"the option '{key}' is a {other.GetType().Name}, not a number"),
    };

    internal int Int(string key) => this[key] switch
    {
        int i => i,
        long l => checked((int)l),
        double d when d == Math.Floor(d) => checked((int)d),
        var other => throw new InvalidCastException($"the option '{key}' is a {other.GetType().Name}, not an integer"),
    };

    internal bool Bool(string key) => this[key] is bool b ? b : throw new InvalidCastException($"the option '{key}' is not a bool");

    internal Dictionary<string, object> CopyOptions() => new(_options);
}

/// <summary>Python's <c>str(float)</c>, for error messages that quote a value as PyTorch does (<c>1.0</c>, <c>-1e-05</c>).</summary>
internal static class PythonRepr
{
    internal static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        double magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16))
        {
            string text = value.ToString("E16", CultureInfo.InvariantCulture);
            string shortest = value.ToString("R", CultureInfo.InvariantCulture);
            int e = shortest.IndexOf('E', StringComparison.Ordinal);
            string mantissa = e >= 0 ? shortest[..e] : shortest;
            int exponent = int.Parse(text[(text.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            if (e < 0)
            {
                // "R" printed it in fixed notation: rebuild the mantissa from the digits.
                mantissa = (value / Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture);
            }

            return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        string fixedText = value.ToString("R", CultureInfo.InvariantCulture);
        return fixedText.Contains('.', StringComparison.Ordinal) || fixedText.Contains('E', StringComparison.Ordinal) ? fixedText : fixedText + ".0";
    }
}
