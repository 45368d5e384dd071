using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Autograd;

/// <summary>
/// Anomaly detection (<see cref="GradMode.DetectAnomaly"/>): where each node was created in the caller's code, and the
/// checks a pass makes on each node's results. Nothing here runs unless the mode is on.
/// </summary>
internal static class Anomaly
{
    private static readonly ConditionalWeakTable<Node, string> s_sites = [];
    private static readonly string? s_library = typeof(Node).Assembly.FullName;

    /// <summary>Records the first stack frame outside the library: the user's line that made the node.</summary>
    internal static void RecordCreation(Node node)
    {
        var trace = new StackTrace(2, fNeedFileInfo: true);
        foreach (StackFrame frame in trace.GetFrames())
        {
            // DiagnosticMethodInfo rather than GetMethod(): it keeps working under trimming and Native AOT.
            DiagnosticMethodInfo? method = DiagnosticMethodInfo.Create(frame);
            if (method?.DeclaringAssemblyName == s_library)
            {
                continue;
            }

            string where = frame.GetFileName() is { } file
                ? $"{Path.GetFileName(file)}:line {frame.GetFileLineNumber()}"
                : "an unknown file";
            string type = method?.DeclaringTypeName is { } name ? name[(name.LastIndexOf('.') + 1)..] + "." : string.Empty;
            s_sites.AddOrUpdate(node, $"{type}{method?.Name} in {where}");
            return;
        }
    }

    /// <summary>Where <paramref name="node"/> was created, if anomaly detection was on then.</summary>
    internal static string? SiteOf(Node node) => s_sites.TryGetValue(node, out string? site) ? site : null;

    /// <summary>
    /// Runs a node under anomaly detection: an exception it raises names it and where it was created (the in-place
    /// modification error among them), and with NaN checking a result holding NaN or infinity raises.
    /// </summary>
    internal static Tensor?[] Apply(GraphTask task, Node node, Tensor grad, bool trusted, GradAccumulation? offers)
    {
        Tensor?[] results;
        try
        {
            results = trusted ? task.ApplyOwned(node, grad, offers) : node.Apply(grad);
        }
        catch (InvalidOperationException e) when (SiteOf(node) is { } site)
        {
            throw new InvalidOperationException($"{e.Message} The failing node {node.Name} was created at {site}.", e);
        }

        if (GradMode.IsAnomalyCheckNanEnabled)
        {
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i] is { } result && result.DType.IsFloatingPoint() && NonFinite(result) is { } kind)
                {
                    string site = SiteOf(node) is { } s ? $" The node was created at {s}." : string.Empty;
                    throw new InvalidOperationException($"Function '{node.Name}' returned {kind} values in its {i}th output.{site}");
                }
            }
        }

        return results;
    }

    private static string? NonFinite(Tensor t)
    {
        double[] values;
        using (GradMode.NoGrad())
        {
            values = t.ToArray<double>();
        }

        if (values.Any(double.IsNaN))
        {
            return "nan";
        }

        return values.Any(double.IsInfinity) ? "inf" : null;
    }
}
