using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Autograd;

/// <summary>
/// Writes the backward graph behind a tensor as Graphviz DOT or Mermaid text: one box per node by name, leaves with
/// shape, dtype and requires_grad (and a name, when given), the output tensor itself, and optionally each node's saved
/// tensors with shape, dtype, version and bytes. Edges point the way the forward computation ran, from input to
/// consumer, as torchviz draws them. The walk is iterative, so deep graphs export too.
/// </summary>
public static class GraphExport
{
    /// <summary>The graph behind <paramref name="output"/> in Graphviz DOT (render with <c>dot -Tsvg</c>).</summary>
    /// <param name="output">The tensor whose history is drawn.</param>
    /// <param name="names">Optional names for tensors (parameters, inputs, the output), shown in their boxes.</param>
    /// <param name="showSaved">Whether to list each node's saved tensors.</param>
    public static string ToDot(Tensor output, IReadOnlyDictionary<Tensor, string>? names = null, bool showSaved = false)
    {
        Graph graph = Walk(output, names, showSaved);
        var dot = new StringBuilder();
        dot.Append("digraph {\n");
        dot.Append("    graph [size=\"12,12\"]\n");
        dot.Append("    node [shape=box, style=filled, fillcolor=lightgray, fontname=monospace, fontsize=10]\n");
        foreach (Box box in graph.Boxes)
        {
            string color = box.Kind switch
            {
                BoxKind.Leaf => ", fillcolor=lightblue",
                BoxKind.Output => ", fillcolor=darkolivegreen1",
                _ => string.Empty,
            };
            dot.Append(CultureInfo.InvariantCulture, $"    {box.Id} [label=\"{EscapeDot(box.Label)}\"{color}]\n");
        }

        foreach ((string from, string to) in graph.Edges)
        {
            dot.Append(CultureInfo.InvariantCulture, $"    {from} -> {to}\n");
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>The same graph as a Mermaid flowchart (renders in GitHub Markdown inside a <c>mermaid</c> block).</summary>
    public static string ToMermaid(Tensor output, IReadOnlyDictionary<Tensor, string>? names = null, bool showSaved = false)
    {
        Graph graph = Walk(output, names, showSaved);
        var text = new StringBuilder();
        text.Append("flowchart TB\n");
        foreach (Box box in graph.Boxes)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {box.Id}[\"{EscapeMermaid(box.Label)}\"]\n");
        }

        foreach ((string from, string to) in graph.Edges)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {from} --> {to}\n");
        }

        foreach (Box box in graph.Boxes.Where(b => b.Kind != BoxKind.Node))
        {
            text.Append(CultureInfo.InvariantCulture, $"    style {box.Id} fill:{(box.Kind == BoxKind.Leaf ? "#add8e6" : "#caff70")}\n");
        }

        return text.ToString();
    }

    private static Graph Walk(Tensor output, IReadOnlyDictionary<Tensor, string>? names, bool showSaved)
    {
        ArgumentNullException.ThrowIfNull(output);
        var graph = new Graph();
        var ids = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        string outputId = "t0";
        graph.Boxes.Add(new Box(outputId, TensorLabel(output, names, withGradFlag: false), BoxKind.Output));
        Node? root = output.GradientEdge;
        if (root is null)
        {
            return graph;
        }

        var pending = new Stack<Node>();
        string Id(Node node)
        {
            if (!ids.TryGetValue(node, out string? id))
            {
                id = "n" + ids.Count.ToString(CultureInfo.InvariantCulture);
                ids[node] = id;
                pending.Push(node);
                graph.Boxes.Add(new Box(id, NodeLabel(node, names, showSaved), node is AccumulateGrad ? BoxKind.Leaf : BoxKind.Node));
            }

            return id;
        }

        graph.Edges.Add((Id(root), outputId));
        while (pending.Count > 0)
        {
            Node node = pending.Pop();
            string to = ids[node];
            foreach (Node? next in node.NextFunctions)
            {
                if (next is not null)
                {
                    graph.Edges.Add((Id(next), to));
                }
            }
        }

        return graph;
    }

    private static string NodeLabel(Node node, IReadOnlyDictionary<Tensor, string>? names, bool showSaved)
    {
        if (node is AccumulateGrad sink)
        {
            return TensorLabel(sink.Variable, names, withGradFlag: true);
        }

        var label = new StringBuilder(node.Name);
        if (showSaved)
        {
            foreach ((string name, Tensor tensor, int version) in SavedTensorsOf(node))
            {
                long bytes = (long)tensor.Count * tensor.DType.ElementSize();
                label.Append(CultureInfo.InvariantCulture, $"\n{name}: {tensor.Shape} {DTypeName(tensor)} v{version} ({bytes} B)");
            }
        }

        return label.ToString();
    }

    private static string TensorLabel(Tensor t, IReadOnlyDictionary<Tensor, string>? names, bool withGradFlag)
    {
        string name = names is not null && names.TryGetValue(t, out string? n) ? n + "\n" : string.Empty;
        string flag = withGradFlag ? $"\nrequires_grad={(t.RequiresGrad ? "True" : "False")}" : string.Empty;
        return $"{name}{t.Shape} {DTypeName(t)}{flag}";
    }

    /// <summary>The saved tensors a node still holds, found through its fields (released ones are left out).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Best effort: a trimmed node shows no saved tensors.")]
    private static IEnumerable<(string Name, Tensor Tensor, int Version)> SavedTensorsOf(Node node)
    {
        for (Type? type = node.GetType(); type is not null && type != typeof(Node); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType == typeof(SavedTensor) && field.GetValue(node) is SavedTensor { Tensor: { } tensor } saved)
                {
                    yield return (field.Name.TrimStart('_'), tensor, saved.Version);
                }
            }
        }
    }

    private static string DTypeName(Tensor t) => t.DType.TorchName().Replace("torch.", string.Empty, StringComparison.Ordinal);

    private static string EscapeDot(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeMermaid(string label) => label.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("\n", "<br/>", StringComparison.Ordinal);

    private enum BoxKind
    {
        Node,
        Leaf,
        Output,
    }

    private sealed record Box(string Id, string Label, BoxKind Kind);

    private sealed class Graph
    {
        internal List<Box> Boxes { get; } = [];

        internal List<(string From, string To)> Edges { get; } = [];
    }
}
