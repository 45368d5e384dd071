using System.Collections;
using System.Globalization;

namespace Autograd.NN;

/// <summary>
/// Applies its layers in order, the output of each feeding the next (PyTorch's <c>nn.Sequential</c>). Layers are
/// named by position (<c>0</c>, <c>1</c>, …) unless given names, so their parameters are <c>0.weight</c>, ….
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "PyTorch's name.")]
public sealed class Sequential : Module<Tensor, Tensor>, IReadOnlyList<Module<Tensor, Tensor>>
{
    /// <summary>Chains <paramref name="layers"/>, named by position.</summary>
    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (Module<Tensor, Tensor> layer in layers)
        {
            Append(layer);
        }
    }

    /// <summary>Chains named layers (PyTorch's <c>nn.Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(IEnumerable<(string Name, Module<Tensor, Tensor> Module)> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach ((string name, Module<Tensor, Tensor> layer) in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, name);
            RegisterModule(name, layer);
        }
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Layers => [.. ChildEntries.Select(e => (Module<Tensor, Tensor>)e.Module!)];

    /// <summary>Number of layers.</summary>
    public int Count => ChildEntries.Count;

    /// <summary>The layer at <paramref name="index"/> (negative counts from the end), or replaces it keeping its name.</summary>
    public Module<Tensor, Tensor> this[int index]
    {
        get => (Module<Tensor, Tensor>)ChildEntries[Containers.Position(index, Count)].Module!;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            RegisterModule(ChildEntries[Containers.Position(index, Count)].Name, value);
        }
    }

    /// <summary>Adds <paramref name="layer"/> at the end under the name <c>Count</c> (PyTorch's <c>append</c>).</summary>
    public Sequential Append(Module<Tensor, Tensor> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        RegisterModule(Count.ToString(CultureInfo.InvariantCulture), layer);
        return this;
    }

    /// <summary>Same as <see cref="Append"/>; lets a collection initializer build the chain.</summary>
    public void Add(Module<Tensor, Tensor> layer) => Append(layer);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach ((_, Module? layer) in ChildEntries)
        {
            x = ((Module<Tensor, Tensor>)layer!).Forward(x);
        }

        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => Layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A list of child modules, registered by position (PyTorch's <c>nn.ModuleList</c>), typed by the element type so
/// that a model can call them without casts, e.g. <c>ModuleList&lt;Linear&gt;</c>. It has no forward of its own.
/// </summary>
/// <typeparam name="T">The type of the modules held.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "PyTorch's name.")]
public class ModuleList<T> : Module, IReadOnlyList<T>
    where T : Module
{
    /// <summary>Creates the list holding <paramref name="modules"/> in order.</summary>
    public ModuleList(params IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Extend(modules);
    }

    /// <summary>Number of modules.</summary>
    public int Count => ChildEntries.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end), or replaces it.</summary>
    public T this[int index]
    {
        get => (T)ChildEntries[Containers.Position(index, Count)].Module!;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            RegisterModule(ChildEntries[Containers.Position(index, Count)].Name, value);
        }
    }

    /// <summary>Adds <paramref name="module"/> at the end (PyTorch's <c>append</c>).</summary>
    public ModuleList<T> Append(T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        RegisterModule(Count.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    /// <summary>Same as <see cref="Append"/>; lets a collection initializer fill the list.</summary>
    public void Add(T module) => Append(module);

    /// <summary>Appends every module of <paramref name="modules"/> (PyTorch's <c>extend</c>).</summary>
    public ModuleList<T> Extend(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (T module in modules)
        {
            Append(module);
        }

        return this;
    }

    /// <summary>Inserts <paramref name="module"/> before <paramref name="index"/>, renumbering the rest (PyTorch's <c>insert</c>).</summary>
    public void Insert(int index, T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        List<T> items = [.. this];
        items.Insert(index < 0 ? Math.Max(0, index + Count) : Math.Min(index, Count), module);
        Renumber(items);
    }

    /// <summary>Removes the module at <paramref name="index"/>, renumbering the rest (PyTorch's <c>del list[i]</c>).</summary>
    public void RemoveAt(int index)
    {
        List<T> items = [.. this];
        items.RemoveAt(Containers.Position(index, Count));
        Renumber(items);
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        foreach ((_, Module? module) in ChildEntries.ToArray())
        {
            yield return (T)module!;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Renumber(List<T> items) =>
        ResetModules(items.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), (Module?)m)));
}

/// <summary>A list of modules of any type (PyTorch's <c>nn.ModuleList</c>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "PyTorch's name.")]
public sealed class ModuleList : ModuleList<Module>
{
    /// <summary>Creates the list holding <paramref name="modules"/> in order.</summary>
    public ModuleList(params IEnumerable<Module> modules)
        : base(modules)
    {
    }
}

/// <summary>
/// Child modules by name, in insertion order (PyTorch's <c>nn.ModuleDict</c>); typed by the element type. It has no
/// forward of its own.
/// </summary>
/// <typeparam name="T">The type of the modules held.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "PyTorch's name.")]
public class ModuleDict<T> : Module, IReadOnlyDictionary<string, T>
    where T : Module
{
    /// <summary>Creates the dictionary holding <paramref name="modules"/> in order.</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, T>>? modules = null)
    {
        foreach ((string name, T module) in modules ?? [])
        {
            this[name] = module;
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => ChildEntries.Count;

    /// <summary>The names in insertion order.</summary>
    public IEnumerable<string> Keys => [.. ChildEntries.Select(e => e.Name)];

    /// <summary>The modules in insertion order.</summary>
    public IEnumerable<T> Values => [.. ChildEntries.Select(e => (T)e.Module!)];

    /// <summary>The module named <paramref name="key"/>, or adds/replaces it (a replaced entry keeps its position).</summary>
    public T this[string key]
    {
        get => TryGetValue(key, out T? module) ? module : throw new KeyNotFoundException(key);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            RegisterModule(key, value);
        }
    }

    /// <summary>Whether a module is named <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => ChildEntries.Any(e => e.Name == key);

    /// <summary>The module named <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
    {
        value = ContainsKey(key) ? (T?)GetModule(key) : null;
        return value is not null;
    }

    /// <summary>Removes the module named <paramref name="key"/> (PyTorch's <c>pop</c>); false when absent.</summary>
    public bool Remove(string key) => RemoveModule(key);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, T>> GetEnumerator()
    {
        foreach ((string name, Module? module) in ChildEntries.ToArray())
        {
            yield return new KeyValuePair<string, T>(name, (T)module!);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Modules of any type by name (PyTorch's <c>nn.ModuleDict</c>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "PyTorch's name.")]
public sealed class ModuleDict : ModuleDict<Module>
{
    /// <summary>Creates the dictionary holding <paramref name="modules"/> in order.</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, Module>>? modules = null)
        : base(modules)
    {
    }
}

internal static class Containers
{
    /// <summary>A list position from a Python index (negative counts from the end), with PyTorch's message when out of range.</summary>
    internal static int Position(int index, int count)
    {
        int position = index < 0 ? index + count : index;
        if ((uint)position >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range");
        }

        return position;
    }
}
