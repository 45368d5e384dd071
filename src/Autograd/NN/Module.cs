namespace Autograd.NN;

/// <summary>
/// Base class of layers and models (PyTorch's <c>nn.Module</c>): holds parameters (leaves that require grad),
/// child modules and the training flag.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Switches this module and its children to training mode (PyTorch's <c>train()</c>).</summary>
    public Module Train(bool mode = true)
    {
        var pending = new Stack<Module>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            Module module = pending.Pop();
            module.Training = mode;
            foreach ((_, Module child) in module._children)
            {
                pending.Push(child);
            }
        }

        return this;
    }

    /// <summary>Switches this module and its children to evaluation mode (PyTorch's <c>eval()</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>All parameters of this module and its children, depth first, in registration order.</summary>
    public IEnumerable<Tensor> Parameters()
    {
        foreach ((_, Tensor parameter) in NamedParameters())
        {
            yield return parameter;
        }
    }

    /// <summary>All parameters with dotted names such as <c>0.weight</c>.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var pending = new Stack<(string Prefix, Module Module)>();
        pending.Push((string.Empty, this));
        while (pending.Count > 0)
        {
            (string prefix, Module module) = pending.Pop();
            foreach ((string name, Tensor tensor) in module._parameters)
            {
                yield return (prefix + name, tensor);
            }

            for (int i = module._children.Count - 1; i >= 0; i--)
            {
                (string name, Module child) = module._children[i];
                pending.Push((prefix + name + ".", child));
            }
        }
    }

    /// <summary>
    /// Resets the gradient of every parameter: zeroed in place by default (PyTorch 1.13's <c>zero_grad()</c>, which
    /// lets the next backward pass accumulate into the same buffers), or set to null with <paramref name="setToNone"/>.
    /// </summary>
    public void ZeroGrad(bool setToNone = false) => ZeroGrad(Parameters(), setToNone);

    internal static void ZeroGrad(IEnumerable<Tensor> parameters, bool setToNone)
    {
        foreach (Tensor parameter in parameters)
        {
            if (setToNone || parameter.Grad is not { } grad || grad.GradFn is not null)
            {
                parameter.Grad = null;
            }
            else
            {
                using (GradMode.NoGrad())
                {
                    grad.Clear();
                }
            }
        }
    }

    /// <summary>Registers a parameter: it becomes a leaf that requires grad.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor.", nameof(parameter));
        }

        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a child module, so that its parameters and mode follow this one.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        _children.Add((name, module));
        return module;
    }
}
