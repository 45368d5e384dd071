using Autograd.NN;

namespace Autograd.Optim;

/// <summary>
/// Base class of optimizers (PyTorch's <c>torch.optim.Optimizer</c>): parameter groups with per-group options, a state
/// per parameter, <see cref="Step()"/>, <see cref="ZeroGrad"/> and a state dict that round-trips.
/// </summary>
/// <remarks>
/// Updates run in place under no-grad, one fused pass over each parameter and its state buffers (see
/// <c>Kernels.OptimizerKernels</c>), and bump the parameter's version like any in-place op. State buffers are allocated at
/// a parameter's first step; later steps allocate nothing.
/// </remarks>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = [];
    private readonly Dictionary<Tensor, object> _state = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, object> _defaults;

    /// <summary>Creates the optimizer over <paramref name="groups"/>, whose unset options take <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object> defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(defaults);
        _defaults = new Dictionary<string, object>(defaults);
        ParamGroup[] list = [.. groups];
        if (list.Length == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list", nameof(groups));
        }

        foreach (ParamGroup group in list)
        {
            AddParamGroup(group);
        }
    }

    /// <summary>The parameter groups (PyTorch's <c>optimizer.param_groups</c>).</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>The options a group added without them takes (PyTorch's <c>optimizer.defaults</c>).</summary>
    public IReadOnlyDictionary<string, object> Defaults => _defaults;

    /// <summary>Every parameter of every group, in order.</summary>
    public IReadOnlyList<Tensor> Parameters => [.. _groups.SelectMany(g => g.Parameters)];

    /// <summary>
    /// Adds a group (PyTorch's <c>add_param_group</c>): its unset options take the optimizer's defaults. Throws for a
    /// non-leaf parameter or one already in another group.
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (Tensor p in group.Parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(group));
            if (!p.IsLeaf && !p.RetainsGrad)
            {
                throw new ArgumentException("can't optimize a non-leaf Tensor", nameof(group));
            }
        }

        var existing = new HashSet<Tensor>(_groups.SelectMany(g => g.Parameters), ReferenceEqualityComparer.Instance);
        if (group.Parameters.Any(existing.Contains))
        {
            throw new ArgumentException("some parameters appear in more than one parameter group", nameof(group));
        }

        foreach ((string key, object value) in _defaults)
        {
            group.SetDefault(key, value);
        }

        _groups.Add(group);
    }

    /// <summary>Performs one optimization step on every parameter that has a gradient, recording nothing.</summary>
    /// <remarks>
    /// A derived <see cref="Update"/> runs under <see cref="GradMode.NoGrad"/>. The built-in optimizers skip that scope:
    /// their fused kernels write storage directly and record nothing in any mode (the rare strided-parameter fallback
    /// opens its own scope), and entering a grad-mode scope sets an <c>AsyncLocal</c> twice, about 200 bytes per step.
    /// </remarks>
    public virtual void Step()
    {
        if (!UpdateNeedsNoGrad || !GradMode.IsEnabled)
        {
            UpdateAll();
            return;
        }

        using (GradMode.NoGrad())
        {
            UpdateAll();
        }
    }

    /// <summary>Whether <see cref="Update"/> must run under no-grad (false for the built-in fused optimizers).</summary>
    private protected virtual bool UpdateNeedsNoGrad => true;

    private void UpdateAll()
    {
        for (int i = 0; i < _groups.Count; i++)
        {
            Update(_groups[i]);
        }
    }

    /// <summary>
    /// Re-evaluates the model with <paramref name="closure"/> (with grad enabled; it should zero the gradients, compute the
    /// loss and call backward), then performs one step. Returns the closure's loss.
    /// </summary>
    public virtual Tensor Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        Tensor loss;
        using (GradMode.EnableGrad())
        {
            loss = closure();
        }

        Step();
        return loss;
    }

    /// <summary>
    /// Resets the gradients of every parameter: zeroed in place by default (PyTorch 1.13's <c>zero_grad()</c>, whose
    /// <c>set_to_none</c> defaults to False; reusing the buffers spares an allocation per parameter and step), or set to
    /// null with <paramref name="setToNone"/> (PyTorch 2's default).
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (ParamGroup group in _groups)
        {
            Module.ZeroGrad(group.Parameters, setToNone);
        }
    }

    /// <summary>
    /// The optimizer's state as PyTorch's <c>state_dict()</c>: <see cref="OptimizerStateDict.State"/> maps the index of a
    /// parameter (counted across groups in order) to its state entries, and <see cref="OptimizerStateDict.ParamGroups"/>
    /// holds each group's options plus <c>params</c> (the indices of its parameters). State tensors are the live buffers,
    /// as in PyTorch; <see cref="LoadStateDict"/> copies them.
    /// </summary>
    public OptimizerStateDict StateDict()
    {
        var dict = new OptimizerStateDict();
        int index = 0;
        foreach (ParamGroup group in _groups)
        {
            Dictionary<string, object> options = group.CopyOptions();
            var indices = new int[group.Parameters.Count];
            for (int i = 0; i < indices.Length; i++, index++)
            {
                indices[i] = index;
                if (_state.TryGetValue(group.Parameters[i], out object? state))
                {
                    dict.State[index] = SaveState(state);
                }
            }

            options["params"] = indices;
            dict.ParamGroups.Add(options);
        }

        return dict;
    }

    /// <summary>
    /// Loads a state produced by <see cref="StateDict"/> (PyTorch's <c>load_state_dict</c>): the groups must match in number
    /// and size; every option but <c>params</c> is taken from the dict and state tensors are copied (floating ones cast
    /// to their parameter's dtype), so the optimizer continues the saved trajectory exactly.
    /// </summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.ParamGroups.Count != _groups.Count)
        {
            throw new ArgumentException("loaded state dict has a different number of parameter groups", nameof(stateDict));
        }

        for (int g = 0; g < _groups.Count; g++)
        {
            if (!stateDict.ParamGroups[g].TryGetValue("params", out object? ids) || ids is not int[] indices || indices.Length != _groups[g].Parameters.Count)
            {
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group", nameof(stateDict));
            }
        }

        _state.Clear();
        for (int g = 0; g < _groups.Count; g++)
        {
            ParamGroup group = _groups[g];
            var indices = (int[])stateDict.ParamGroups[g]["params"];
            for (int i = 0; i < indices.Length; i++)
            {
                if (stateDict.State.TryGetValue(indices[i], out Dictionary<string, object>? saved))
                {
                    Tensor p = group.Parameters[i];
                    _state[p] = LoadState(p, saved);
                }
            }

            foreach ((string key, object value) in stateDict.ParamGroups[g])
            {
                if (key != "params")
                {
                    group[key] = value;
                }
            }
        }
    }

    /// <summary>Updates the parameters of <paramref name="group"/> that have a gradient (called under no-grad).</summary>
    protected abstract void Update(ParamGroup group);

    /// <summary>The state entries of one parameter under PyTorch's names (<c>step</c>, <c>exp_avg</c> …).</summary>
    private protected abstract Dictionary<string, object> SaveState(object state);

    /// <summary>Rebuilds a parameter's state from entries saved by <see cref="SaveState"/>, copying tensors.</summary>
    private protected abstract object LoadState(Tensor parameter, IReadOnlyDictionary<string, object> saved);

    /// <summary>The state of <paramref name="parameter"/>, or null before its first step.</summary>
    private protected TState? GetState<TState>(Tensor parameter)
        where TState : class =>
        _state.TryGetValue(parameter, out object? state) ? (TState)state : null;

    /// <summary>Sets the state of <paramref name="parameter"/>.</summary>
    private protected void SetState(Tensor parameter, object state) => _state[parameter] = state;

    /// <summary>Whether any parameter has state.</summary>
    private protected int StateCount => _state.Count;

    /// <summary>A saved state tensor copied for <paramref name="parameter"/> (cast to its dtype when floating).</summary>
    private protected static Tensor CopyBuffer(Tensor parameter, IReadOnlyDictionary<string, object> saved, string key)
    {
        if (!saved.TryGetValue(key, out object? value) || value is not Tensor t)
        {
            throw new ArgumentException($"the saved state has no tensor '{key}'", nameof(saved));
        }

        using (GradMode.NoGrad())
        {
            Tensor copy = t.DType == parameter.DType ? t.Clone() : t.To(parameter.DType);
            if (ReferenceEquals(copy, t))
            {
                copy = t.Clone();
            }

            return copy.Contiguous();
        }
    }

    /// <summary>A saved optional state tensor, or null.</summary>
    private protected static Tensor? CopyOptionalBuffer(Tensor parameter, IReadOnlyDictionary<string, object> saved, string key) =>
        saved.TryGetValue(key, out object? value) && value is Tensor ? CopyBuffer(parameter, saved, key) : null;

    /// <summary>A saved step count: a scalar tensor (as PyTorch's Adam stores it) or a number.</summary>
    private protected static double ReadStep(IReadOnlyDictionary<string, object> saved, string key = "step") =>
        saved.TryGetValue(key, out object? value)
            ? value switch
            {
                Tensor t => t.Item<double>(),
                double d => d,
                int i => i,
                long l => l,
                _ => throw new ArgumentException($"the saved state's '{key}' is not a number", nameof(saved)),
            }
            : throw new ArgumentException($"the saved state has no '{key}'", nameof(saved));

    /// <summary>Throws PyTorch's <c>ValueError</c> text when <paramref name="valid"/> is false.</summary>
    private protected static void Check(bool valid, string what, double value, string paramName)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Invalid {what}: {PythonRepr.Float(value)}");
        }
    }

    /// <summary>The groups for a plain parameter list.</summary>
    private protected static ParamGroup[] Single(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var group = new ParamGroup(parameters);
        if (group.Items.Length == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        }

        return [group];
    }
}

/// <summary>
/// An optimizer's state in PyTorch's <c>state_dict()</c> layout: per-parameter state by parameter index, and per-group
/// options with the group's parameter indices under <c>params</c>.
/// </summary>
public sealed class OptimizerStateDict
{
    /// <summary>Parameter index → state entries (<c>step</c>, <c>exp_avg</c>, <c>momentum_buffer</c> …).</summary>
    public Dictionary<int, Dictionary<string, object>> State { get; } = [];

    /// <summary>Per group: the options (<c>lr</c>, <c>betas</c> …) and <c>params</c> as an <c>int[]</c> of parameter indices.</summary>
    public List<Dictionary<string, object>> ParamGroups { get; } = [];
}
