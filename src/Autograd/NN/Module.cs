using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Autograd.NN;

/// <summary>
/// Base class of layers and models (PyTorch's <c>nn.Module</c>): an ordered set of named parameters (leaves that
/// require grad), buffers (state such as running statistics) and child modules, plus the training flag.
/// </summary>
/// <remarks>
/// <para>Registration is explicit (<see cref="RegisterParameter"/>, <see cref="RegisterBuffer"/>,
/// <see cref="RegisterModule"/>), never found by reflection, so the library stays trimming- and AOT-safe. Names and
/// orders follow PyTorch: a module lists its own parameters (then buffers) in registration order, then its children's
/// under <c>child.</c> prefixes, so the dotted names (<c>0.weight</c>, <c>layers.1.bias</c>) and the
/// <see cref="StateDict"/> keys are those PyTorch gives the same model.</para>
/// <para>The forward computation is declared by the typed subclasses: <see cref="Module{TIn, TOut}"/> (one input,
/// e.g. <c>Module&lt;Tensor, Tensor&gt;</c> for every ordinary layer) and <see cref="Module{T1, T2, TOut}"/> (two
/// inputs, e.g. a loss or <see cref="Bilinear"/>). Any input or output type works (a tuple, a record), so a model's
/// signature is checked by the compiler instead of at run time.</para>
/// </remarks>
public abstract class Module
{
    private readonly Slots<Tensor> _parameters = new();
    private readonly Slots<Tensor> _buffers = new();
    private readonly HashSet<string> _nonPersistentBuffers = [];
    private readonly Slots<Module> _modules = new();

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Sets the training flag of this module and, recursively, its children (PyTorch's <c>train()</c>).</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (Module child in Children())
        {
            child.Train(mode);
        }

        return this;
    }

    /// <summary>Switches this module and its children to evaluation mode (PyTorch's <c>eval()</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Adds (or replaces) a parameter (PyTorch's <c>register_parameter</c>); null records the name with no tensor
    /// (like a Linear without bias) so that it appears in no listing. The tensor must be a leaf and is marked as
    /// requiring grad, as wrapping it in <c>nn.Parameter</c> does (see <see cref="Parameter.Create"/>).
    /// </summary>
    /// <returns>The registered tensor.</returns>
    [return: NotNullIfNotNull(nameof(parameter))]
    public Tensor? RegisterParameter(string name, Tensor? parameter)
    {
        CheckName(name, "parameter", _parameters);
        if (parameter is not null)
        {
            if (!parameter.IsLeaf)
            {
                throw new ArgumentException(
                    $"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly. To express '{name}' as a function of another Tensor, compute the value in the forward() method.",
                    nameof(parameter));
            }

            if (!parameter.RequiresGrad)
            {
                parameter.RequiresGrad = true;
            }
        }

        _parameters.Set(name, parameter);
        return parameter;
    }

    /// <summary>
    /// Adds (or replaces) a buffer (PyTorch's <c>register_buffer</c>): state that is not trained, such as running
    /// statistics. A persistent buffer is part of <see cref="StateDict"/>; null records the name with no tensor.
    /// </summary>
    /// <returns>The registered tensor.</returns>
    [return: NotNullIfNotNull(nameof(tensor))]
    public Tensor? RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        CheckName(name, "buffer", _buffers);
        _buffers.Set(name, tensor);
        if (persistent)
        {
            _nonPersistentBuffers.Remove(name);
        }
        else
        {
            _nonPersistentBuffers.Add(name);
        }

        return tensor;
    }

    /// <summary>
    /// Adds (or replaces) a child module (PyTorch's <c>add_module</c>/<c>register_module</c>): its parameters, buffers
    /// and mode then follow this module's. Null records the name with no module.
    /// </summary>
    /// <returns>The registered module.</returns>
    [return: NotNullIfNotNull(nameof(module))]
    public T? RegisterModule<T>(string name, T? module)
        where T : Module
    {
        CheckName(name, "module", _modules);
        _modules.Set(name, module);
        return module;
    }

    /// <summary>This module's own parameter <paramref name="name"/>, or null when it is unset or absent.</summary>
    public Tensor? GetParameter(string name) => _parameters.Get(name);

    /// <summary>This module's own buffer <paramref name="name"/>, or null when it is unset or absent.</summary>
    public Tensor? GetBuffer(string name) => _buffers.Get(name);

    /// <summary>This module's own child <paramref name="name"/>, or null when it is unset or absent.</summary>
    public Module? GetModule(string name) => _modules.Get(name);

    /// <summary>
    /// Parameters of this module and (with <paramref name="recurse"/>) its descendants, each once even when shared,
    /// in PyTorch's order (PyTorch's <c>parameters()</c>).
    /// </summary>
    public IEnumerable<Tensor> Parameters(bool recurse = true) => NamedParameters(recurse: recurse).Select(p => p.Parameter);

    /// <summary>Parameters with dotted names such as <c>0.weight</c> (PyTorch's <c>named_parameters()</c>).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "", bool recurse = true) =>
        NamedMembers(m => m._parameters, prefix, recurse);

    /// <summary>Buffers of this module and (with <paramref name="recurse"/>) its descendants (PyTorch's <c>buffers()</c>).</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse: recurse).Select(b => b.Buffer);

    /// <summary>Buffers with dotted names such as <c>1.running_mean</c> (PyTorch's <c>named_buffers()</c>).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "", bool recurse = true) =>
        NamedMembers(m => m._buffers, prefix, recurse);

    /// <summary>The immediate children, each once (PyTorch's <c>children()</c>).</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>The immediate children with their names (PyTorch's <c>named_children()</c>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach ((string name, Module? module) in _modules.Entries)
        {
            if (module is not null && seen.Add(module))
            {
                yield return (name, module);
            }
        }
    }

    /// <summary>This module and all its descendants, each once, depth first (PyTorch's <c>modules()</c>).</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>
    /// This module (named <paramref name="prefix"/>, empty by default) and its descendants with dotted names, each once,
    /// pre-order (PyTorch's <c>named_modules()</c>).
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return NamedModules(seen, prefix);
    }

    private IEnumerable<(string Name, Module Module)> NamedModules(HashSet<Module> seen, string prefix)
    {
        if (!seen.Add(this))
        {
            yield break;
        }

        yield return (prefix, this);
        foreach ((string name, Module? module) in _modules.Entries)
        {
            if (module is null)
            {
                continue;
            }

            foreach ((string, Module) entry in module.NamedModules(seen, Join(prefix, name)))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Calls <paramref name="fn"/> on every child (recursively) and then on this module (PyTorch's <c>apply()</c>).</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (Module child in Children())
        {
            child.Apply(fn);
        }

        fn(this);
        return this;
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

    /// <summary>
    /// Sets <c>RequiresGrad</c> of every parameter (PyTorch's <c>requires_grad_()</c>): false freezes the module, so
    /// that backward passes no longer compute gradients for it.
    /// </summary>
    public Module RequiresGrad(bool requiresGrad = true)
    {
        foreach (Tensor parameter in Parameters())
        {
            parameter.RequiresGrad = requiresGrad;
        }

        return this;
    }

    /// <summary>
    /// Converts every floating parameter and buffer to <paramref name="dtype"/> (PyTorch's <c>module.to(dtype)</c>,
    /// <c>double()</c>, <c>float()</c>): each becomes a new leaf holding the converted values (gradients are dropped),
    /// with the same requires-grad flag; integer buffers such as <c>num_batches_tracked</c> stay as they are.
    /// </summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new ArgumentException($"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype.TorchName()}", nameof(dtype));
        }

        foreach (Module module in Modules())
        {
            foreach ((string name, Tensor? tensor) in module._parameters.Entries.ToArray())
            {
                if (tensor is not null && tensor.DType != dtype && tensor.DType.IsFloatingPoint())
                {
                    Tensor converted;
                    using (GradMode.NoGrad())
                    {
                        converted = tensor.To(dtype);
                    }

                    converted.RequiresGrad = tensor.RequiresGrad;
                    module._parameters.Set(name, converted);
                }
            }

            foreach ((string name, Tensor? tensor) in module._buffers.Entries.ToArray())
            {
                if (tensor is not null && tensor.DType != dtype && tensor.DType.IsFloatingPoint())
                {
                    using (GradMode.NoGrad())
                    {
                        module._buffers.Set(name, tensor.To(dtype));
                    }
                }
            }
        }

        return this;
    }

    /// <summary>
    /// The module's state (PyTorch's <c>state_dict()</c>): every parameter and persistent buffer by dotted name, a
    /// module's own parameters then its buffers, then each child's; values are detached aliases of the live tensors
    /// (no copy), and a tensor shared by two modules appears under both names.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        SaveTo(state, string.Empty);
        return state;
    }

    private void SaveTo(OrderedDictionary<string, Tensor> state, string prefix)
    {
        foreach ((string key, Tensor tensor) in LocalState(prefix))
        {
            state[key] = tensor.Detach();
        }

        foreach ((string name, Module? module) in _modules.Entries)
        {
            module?.SaveTo(state, prefix + name + ".");
        }
    }

    private IEnumerable<(string Key, Tensor Tensor)> LocalState(string prefix)
    {
        foreach ((string name, Tensor? tensor) in _parameters.Entries)
        {
            if (tensor is not null)
            {
                yield return (prefix + name, tensor);
            }
        }

        foreach ((string name, Tensor? tensor) in _buffers.Entries)
        {
            if (tensor is not null && !_nonPersistentBuffers.Contains(name))
            {
                yield return (prefix + name, tensor);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="stateDict"/>'s tensors into this module's parameters and persistent buffers, in place and
    /// without recording gradients (PyTorch's <c>load_state_dict</c>; values are converted to each tensor's dtype).
    /// Everything is validated before anything is written, so a failed load changes nothing: a size mismatch always
    /// fails, and with <paramref name="strict"/> so do missing and unexpected keys, with PyTorch's message
    /// (<c>Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". </c>).
    /// </summary>
    /// <returns>The keys the module has and the dictionary lacks, and the keys the dictionary has and the module lacks.</returns>
    /// <exception cref="InvalidOperationException">The dictionary does not fit (PyTorch's RuntimeError text).</exception>
    public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadStateDict(
        IEnumerable<KeyValuePair<string, Tensor>> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var source = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string key, Tensor value) in stateDict)
        {
            ArgumentNullException.ThrowIfNull(value, key);
            source[key] = value;
        }

        var missing = new List<string>();
        var unexpected = new List<string>();
        var errors = new List<string>();
        var copies = new List<(Tensor Target, Tensor Value)>();
        foreach ((string prefix, Module module) in NamedModulesForLoading(string.Empty))
        {
            var local = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string key, Tensor target) in module.LocalState(prefix))
            {
                local.Add(key[prefix.Length..]);
                if (!source.TryGetValue(key, out Tensor? value))
                {
                    missing.Add(key);
                    continue;
                }

                if (target.Rank == 0 && value.Rank == 1 && value.Shape[0] == 1)
                {
                    value = value.Reshape();   // PyTorch's backward compatibility: a 1-element 1-d checkpoint entry fills a scalar
                }

                if (value.Shape != target.Shape)
                {
                    errors.Add($"size mismatch for {key}: copying a param with shape {TorchSize(value.Shape)} from checkpoint, the shape in current model is {TorchSize(target.Shape)}.");
                    continue;
                }

                copies.Add((target, value));
            }

            // A key under this module's prefix whose first component names neither its state nor a child is unexpected.
            foreach (string key in source.Keys)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    string first = key[prefix.Length..].Split('.', 2)[0];
                    if (!module._modules.Contains(first) && !local.Contains(first) && !unexpected.Contains(key))
                    {
                        unexpected.Add(key);
                    }
                }
            }
        }

        if (strict)
        {
            if (unexpected.Count > 0)
            {
                errors.Insert(0, $"Unexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(k => $"\"{k}\""))}. ");
            }

            if (missing.Count > 0)
            {
                errors.Insert(0, $"Missing key(s) in state_dict: {string.Join(", ", missing.Select(k => $"\"{k}\""))}. ");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Error(s) in loading state_dict for {TypeName}:\n\t{string.Join("\n\t", errors)}");
        }

        using (GradMode.NoGrad())
        {
            foreach ((Tensor target, Tensor value) in copies)
            {
                target.CopyFrom(value);
            }
        }

        return (missing, unexpected);
    }

    /// <summary>Every module reached through non-null children, with its key prefix ("" or "a.b."), duplicates included (as PyTorch's loader).</summary>
    private IEnumerable<(string Prefix, Module Module)> NamedModulesForLoading(string prefix)
    {
        yield return (prefix, this);
        foreach ((string name, Module? module) in _modules.Entries)
        {
            if (module is null)
            {
                continue;
            }

            foreach ((string, Module) entry in module.NamedModulesForLoading(prefix + name + "."))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// The module's own settings shown inside its parentheses by <see cref="ToString"/> (PyTorch's
    /// <c>extra_repr()</c>), e.g. <c>in_features=4, out_features=3, bias=True</c>; empty by default.
    /// </summary>
    public virtual string ExtraRepr() => string.Empty;

    /// <summary>The class name shown by <see cref="ToString"/> and in load errors (PyTorch's <c>_get_name()</c>).</summary>
    protected virtual string TypeName
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>
    /// PyTorch's <c>repr(module)</c>: <c>Name(extra)</c> for a leaf module, else the extra lines and one
    /// <c>(name): child</c> line per child, indented by two spaces, e.g.
    /// <c>Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): ReLU()\n)</c>.
    /// </summary>
    public override string ToString()
    {
        string extra = ExtraRepr();
        string[] extraLines = extra.Length == 0 ? [] : extra.Split('\n');
        var childLines = new List<string>();
        foreach ((string name, Module? module) in _modules.Entries)
        {
            string text = module is null ? "None" : module.ToString();
            childLines.Add("(" + name + "): " + text.Replace("\n", "\n  ", StringComparison.Ordinal));
        }

        var builder = new StringBuilder(TypeName).Append('(');
        if (extraLines.Length == 1 && childLines.Count == 0)
        {
            builder.Append(extraLines[0]);
        }
        else if (extraLines.Length + childLines.Count > 0)
        {
            builder.Append("\n  ").AppendJoin("\n  ", extraLines.Concat(childLines)).Append('\n');
        }

        return builder.Append(')').ToString();
    }

    /// <summary>Replaces a registered child by position-preserving name (containers use it for their indexers).</summary>
    internal IReadOnlyList<(string Name, Module? Module)> ChildEntries => _modules.Entries;

    /// <summary>Removes the child <paramref name="name"/>, if present (containers use it).</summary>
    internal bool RemoveModule(string name) => _modules.Remove(name);

    /// <summary>Re-registers the children in the given order (containers use it after an insertion or deletion).</summary>
    internal void ResetModules(IEnumerable<(string Name, Module? Module)> entries)
    {
        _modules.Clear();
        foreach ((string name, Module? module) in entries)
        {
            _modules.Set(name, module);
        }
    }

    private IEnumerable<(string Name, Tensor Tensor)> NamedMembers(Func<Module, Slots<Tensor>> members, string prefix, bool recurse)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        IEnumerable<(string Name, Module Module)> modules = recurse ? NamedModules(prefix) : [(prefix, this)];
        foreach ((string modulePrefix, Module module) in modules)
        {
            foreach ((string name, Tensor? tensor) in members(module).Entries)
            {
                if (tensor is not null && seen.Add(tensor))
                {
                    yield return (Join(modulePrefix, name), tensor);
                }
            }
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private void CheckName<T>(string name, string kind, Slots<T> own)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{kind} name can't contain \".\"", nameof(name));
        }

        if (name.Length == 0)
        {
            throw new ArgumentException($"{kind} name can't be empty string \"\"", nameof(name));
        }

        bool elsewhere = (!ReferenceEquals(own, _parameters) && _parameters.Contains(name))
            || (!ReferenceEquals(own, _buffers) && _buffers.Contains(name))
            || (!ReferenceEquals(own, _modules) && _modules.Contains(name));
        if (elsewhere)
        {
            throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
        }
    }

    /// <summary>PyTorch's <c>torch.Size([2, 3])</c> text.</summary>
    internal static string TorchSize(Shape shape) => "torch.Size(" + shape.ToString() + ")";

    /// <summary>
    /// An insertion-ordered name → value table (PyTorch's OrderedDict of parameters, buffers or modules): replacing a
    /// value keeps its position. Modules hold a handful of entries, so a list with linear lookup is the right size.
    /// </summary>
    private sealed class Slots<T>
        where T : class
    {
        private readonly List<(string Name, T? Value)> _entries = [];

        public IReadOnlyList<(string Name, T? Value)> Entries => _entries;

        public bool Contains(string name) => IndexOf(name) >= 0;

        public T? Get(string name)
        {
            int index = IndexOf(name);
            return index < 0 ? null : _entries[index].Value;
        }

        public void Set(string name, T? value)
        {
            int index = IndexOf(name);
            if (index < 0)
            {
                _entries.Add((name, value));
            }
            else
            {
                _entries[index] = (name, value);
            }
        }

        public bool Remove(string name)
        {
            int index = IndexOf(name);
            if (index >= 0)
            {
                _entries.RemoveAt(index);
            }

            return index >= 0;
        }

        public void Clear() => _entries.Clear();

        private int IndexOf(string name)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                if (string.Equals(_entries[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}

/// <summary>
/// A module with one input (PyTorch's <c>forward(x)</c>): <c>Module&lt;Tensor, Tensor&gt;</c> for ordinary layers;
/// any other types for models that take or return something else (a tuple of tensors, a record).
/// </summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
public abstract class Module<TIn, TOut> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TOut Forward(TIn input);
}

/// <summary>A module with two inputs, such as a loss (input, target) or <see cref="Bilinear"/> (x₁, x₂).</summary>
/// <typeparam name="T1">The first input's type.</typeparam>
/// <typeparam name="T2">The second input's type.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
public abstract class Module<T1, T2, TOut> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TOut Forward(T1 input1, T2 input2);
}

/// <summary>
/// PyTorch's <c>nn.Parameter</c>. <see cref="Tensor"/> is sealed, so a parameter is an ordinary leaf tensor that
/// requires grad; what makes it a module's parameter is <see cref="Module.RegisterParameter"/>.
/// </summary>
public static class Parameter
{
    /// <summary>
    /// A leaf sharing <paramref name="data"/>'s storage (detached from any graph) with <c>RequiresGrad</c> set to
    /// <paramref name="requiresGrad"/> (PyTorch's <c>nn.Parameter(data, requires_grad)</c>).
    /// </summary>
    public static Tensor Create(Tensor data, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        Tensor parameter = data.Detach();
        parameter.RequiresGrad = requiresGrad;
        return parameter;
    }
}

/// <summary>Python's text for values in <see cref="Module.ExtraRepr"/>.</summary>
internal static class PyRepr
{
    /// <summary><c>True</c>/<c>False</c>.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, <c>1.0</c>, <c>0.01</c>, <c>1e-05</c>, <c>inf</c>.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // Shortest round-trip digits d₁d₂…dₙ with the decimal point after position `point` (value = 0.d₁…dₙ · 10^point).
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E', StringComparison.Ordinal);
        string mantissa = e < 0 ? r : r[..e];
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        int leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');
        point -= leading;
        string sign = value < 0 ? "-" : string.Empty;
        int scientific = point - 1;
        if (scientific is < -4 or >= 16)
        {
            string m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return sign + m + "e" + (scientific < 0 ? "-" : "+") + Math.Abs(scientific).ToString("00", CultureInfo.InvariantCulture);
        }

        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length
            ? sign + digits + new string('0', point - digits.Length) + ".0"
            : sign + digits[..point] + "." + digits[point..];
    }

    /// <summary>A Python tuple of ints: <c>(3,)</c>, <c>(3, 3)</c>.</summary>
    public static string Tuple(IReadOnlyList<int> values) =>
        values.Count == 1 ? "(" + values[0].ToString(CultureInfo.InvariantCulture) + ",)" : "(" + string.Join(", ", values) + ")";

    /// <summary>An int in invariant culture.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
