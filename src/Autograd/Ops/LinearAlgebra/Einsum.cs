namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Einstein summation (PyTorch's <c>einsum</c>): <paramref name="equation"/> names each operand's dimensions by
    /// letters (a–z, A–Z), optionally with one "..." standing for broadcast dimensions, then optionally "->" and the
    /// output's subscripts. The result multiplies the operands over all labels and sums the labels missing from the
    /// output. Without "->" the output is the ellipsis dimensions followed by the labels that appear once, in
    /// alphabetical order (upper case first). A label repeated within an operand takes its diagonal. Size-1 dimensions
    /// broadcast.
    /// </summary>
    /// <remarks>
    /// Computed as PyTorch computes it, by ops that carry their own gradients: repeated labels through
    /// <see cref="Diagonal"/>, labels only one operand has and the output lacks through <see cref="Sum(int, bool)"/>,
    /// and each pair of operands, left to right, as one batched <see cref="MatMul(Tensor, Tensor)"/> of
    /// [batch…, left, contracted]·[batch…, contracted, right] after a permute and reshape.
    /// </remarks>
    /// <exception cref="ArgumentException">The equation is malformed or does not fit the operands (PyTorch's messages).</exception>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Length == 0)
        {
            throw new ArgumentException(
                "einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list", nameof(operands));
        }

        var parsed = new EinsumEquation(equation, operands);
        var terms = new List<(Tensor Value, List<int> Labels)>(operands.Length);
        for (int i = 0; i < operands.Length; i++)
        {
            terms.Add(TakeDiagonals(operands[i], parsed.Labels[i], i));
        }

        parsed.CheckSizes(terms);
        List<int> output = parsed.Output;
        (Tensor Value, List<int> Labels) current = terms[0];
        for (int i = 1; i < terms.Count; i++)
        {
            var needed = new HashSet<int>(output);
            for (int j = i + 1; j < terms.Count; j++)
            {
                needed.UnionWith(terms[j].Labels);
            }

            current = Contract(current, terms[i], needed);
        }

        current = SumOut(current, new HashSet<int>(output));
        int[] order = [.. output.Select(label => current.Labels.IndexOf(label))];
        return IsIdentity(order) ? current.Value : current.Value.Permute(order);
    }

    /// <summary>Replaces each label repeated within an operand by the diagonal over its dimensions (the new last one).</summary>
    private static (Tensor, List<int>) TakeDiagonals(Tensor x, List<int> labels, int operand)
    {
        var remaining = new List<int>(labels);
        for (int q = 1; q < remaining.Count; q++)
        {
            int p = remaining.IndexOf(remaining[q]);
            if (p == q)
            {
                continue;
            }

            if (x._shape[q] != x._shape[p])
            {
                throw new ArgumentException(
                    $"einsum(): subscript {EinsumEquation.Letter(remaining[q])} is repeated for operand {operand} but the sizes don't match, {x._shape[q]} != {x._shape[p]}");
            }

            int label = remaining[q];
            x = x.Diagonal(0, p, q);
            remaining.RemoveAt(q);
            remaining.RemoveAt(p);
            remaining.Add(label);
            q = 0;
        }

        return (x, remaining);
    }

    /// <summary>Sums the dimensions whose labels are not in <paramref name="keep"/>.</summary>
    private static (Tensor, List<int>) SumOut((Tensor Value, List<int> Labels) term, HashSet<int> keep)
    {
        (Tensor x, List<int> labels) = (term.Value, new List<int>(term.Labels));
        for (int d = labels.Count - 1; d >= 0; d--)
        {
            if (!keep.Contains(labels[d]))
            {
                x = x.Sum(d);
                labels.RemoveAt(d);
            }
        }

        return (x, labels);
    }

    /// <summary>
    /// One pairwise contraction: labels in both operands are batch dimensions when still <paramref name="needed"/>
    /// (by the output or a later operand) and contracted otherwise; the rest are A's left and B's right dimensions.
    /// </summary>
    private static (Tensor, List<int>) Contract((Tensor, List<int>) left, (Tensor, List<int>) right, HashSet<int> needed)
    {
        (Tensor a, List<int> aLabels) = SumOut(left, [.. needed, .. right.Item2]);
        (Tensor b, List<int> bLabels) = SumOut(right, [.. needed, .. aLabels]);

        // A contracted label of size 1 on one side only: Σⱼ a[0]·b[j] = a[0]·Σⱼ b[j], so sum the other side first.
        foreach (int label in aLabels.Where(l => bLabels.Contains(l) && !needed.Contains(l)).ToArray())
        {
            int da = aLabels.IndexOf(label), db = bLabels.IndexOf(label);
            if (a._shape[da] != b._shape[db])
            {
                (a, b) = a._shape[da] == 1 ? (a.Squeeze(da), b.Sum(db)) : (a.Sum(da), b.Squeeze(db));
                aLabels.RemoveAt(da);
                bLabels.RemoveAt(db);
            }
        }

        var batch = aLabels.Where(l => bLabels.Contains(l) && needed.Contains(l)).ToList();
        var contracted = aLabels.Where(l => bLabels.Contains(l) && !needed.Contains(l)).ToList();
        var leftOnly = aLabels.Where(l => !bLabels.Contains(l)).ToList();
        var rightOnly = bLabels.Where(l => !aLabels.Contains(l)).ToList();

        Tensor aMatrix = Arrange(a, aLabels, [.. batch, .. leftOnly, .. contracted], batch.Count, leftOnly.Count);
        Tensor bMatrix = Arrange(b, bLabels, [.. batch, .. contracted, .. rightOnly], batch.Count, contracted.Count);
        Tensor product = MatMul(aMatrix, bMatrix);

        int[] shape = [.. product._shape[..batch.Count], .. leftOnly.Select(l => a._shape[aLabels.IndexOf(l)]), .. rightOnly.Select(l => b._shape[bLabels.IndexOf(l)])];
        return (product._shape.AsSpan().SequenceEqual(shape) ? product : product.Reshape(shape), [.. batch, .. leftOnly, .. rightOnly]);
    }

    /// <summary>
    /// x permuted to <paramref name="order"/> and reshaped to [batch…, rows, columns], rows the product of the
    /// <paramref name="rowCount"/> dimensions after the batch and columns the product of the rest.
    /// </summary>
    private static Tensor Arrange(Tensor x, List<int> labels, List<int> order, int batchCount, int rowCount)
    {
        int[] permutation = [.. order.Select(l => labels.IndexOf(l))];
        Tensor permuted = IsIdentity(permutation) ? x : x.Permute(permutation);
        int[] dims = permuted._shape;
        int rows = 1, columns = 1;
        for (int i = batchCount; i < dims.Length; i++)
        {
            if (i < batchCount + rowCount)
            {
                rows *= dims[i];
            }
            else
            {
                columns *= dims[i];
            }
        }

        int[] shape = [.. dims[..batchCount], rows, columns];
        return dims.AsSpan().SequenceEqual(shape) ? permuted : permuted.Reshape(shape);
    }

    private static bool IsIdentity(int[] permutation)
    {
        for (int i = 0; i < permutation.Length; i++)
        {
            if (permutation[i] != i)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A parsed einsum equation: each operand's labels (letters as 0–51, A–Z first; ellipsis dimensions as 52 + k,
/// aligned to the right across operands) and the output's, checked with PyTorch 1.13's messages in its order.
/// </summary>
internal sealed class EinsumEquation
{
    private const int Letters = 52;

    private readonly Tensor[] _operands;
    private readonly int[] _count = new int[Letters];

    internal EinsumEquation(string equation, Tensor[] operands)
    {
        _operands = operands;
        int arrow = equation.IndexOf("->", StringComparison.Ordinal);
        string lhs = arrow < 0 ? equation : equation[..arrow];
        var parsed = new List<List<int>> { new() };
        var hasEllipsis = new List<bool> { false };
        for (int i = 0; i < lhs.Length; i++)
        {
            char c = lhs[i];
            int operand = parsed.Count - 1;
            switch (c)
            {
                case ' ':
                    break;
                case '.':
                    if (hasEllipsis[operand])
                    {
                        throw new ArgumentException($"einsum(): found '.' for operand {operand} for which an ellipsis was already found");
                    }

                    if (!(i + 2 < lhs.Length && lhs[++i] == '.' && lhs[++i] == '.'))
                    {
                        throw new ArgumentException($"einsum(): found '.' for operand {operand} that is not part of any ellipsis");
                    }

                    parsed[operand].Add(-1);
                    hasEllipsis[operand] = true;
                    break;
                case ',':
                    if (parsed.Count == operands.Length)
                    {
                        throw new ArgumentException("einsum(): fewer operands were provided than specified in the equation");
                    }

                    parsed.Add([]);
                    hasEllipsis.Add(false);
                    break;
                default:
                    parsed[operand].Add(Subscript(c, i));
                    break;
            }
        }

        if (parsed.Count != operands.Length)
        {
            throw new ArgumentException("einsum(): more operands were provided than specified in the equation");
        }

        // The ellipsis covers the dimensions the letters leave; across operands it spans the most any covers.
        for (int i = 0; i < operands.Length; i++)
        {
            int letters = parsed[i].Count(l => l >= 0), rank = operands[i].Rank;
            if (hasEllipsis[i])
            {
                if (letters > rank)
                {
                    throw new ArgumentException(
                        $"einsum(): the number of subscripts in the equation ({letters}) is more than the number of dimensions ({rank}) for operand {i}");
                }

                EllipsisDims = Math.Max(EllipsisDims, rank - letters);
            }
            else if (letters != rank)
            {
                throw new ArgumentException(
                    $"einsum(): the number of subscripts in the equation ({letters}) does not match the number of dimensions ({rank}) for operand {i} and no ellipsis was given");
            }

            foreach (int label in parsed[i].Where(l => l >= 0))
            {
                _count[label]++;
            }
        }

        for (int i = 0; i < operands.Length; i++)
        {
            int covered = operands[i].Rank - parsed[i].Count(l => l >= 0);
            var labels = new List<int>(operands[i].Rank);
            foreach (int label in parsed[i])
            {
                if (label >= 0)
                {
                    labels.Add(label);
                    continue;
                }

                for (int k = EllipsisDims - covered; k < EllipsisDims; k++)
                {
                    labels.Add(Letters + k);
                }
            }

            Labels.Add(labels);
        }

        Output = arrow < 0 ? ImplicitOutput() : ExplicitOutput(equation[(arrow + 2)..], arrow + 2);
    }

    /// <summary>Each operand's labels, one per dimension.</summary>
    internal List<List<int>> Labels { get; } = [];

    /// <summary>The output's labels, in order.</summary>
    internal List<int> Output { get; }

    /// <summary>How many dimensions the ellipsis stands for.</summary>
    internal int EllipsisDims { get; }

    /// <summary>The letter of a label.</summary>
    internal static char Letter(int label) => label < 26 ? (char)('A' + label) : (char)('a' + label - 26);

    /// <summary>
    /// Every label has one size across the operands, up to size-1 broadcasting (after the diagonals were taken).
    /// </summary>
    internal void CheckSizes(List<(Tensor Value, List<int> Labels)> terms)
    {
        var sizes = new Dictionary<int, int>();
        for (int i = 0; i < terms.Count; i++)
        {
            (Tensor value, List<int> labels) = terms[i];
            for (int d = 0; d < labels.Count; d++)
            {
                int size = value.Shape[d];
                if (!sizes.TryGetValue(labels[d], out int seen) || seen == 1)
                {
                    sizes[labels[d]] = size;
                }
                else if (size != 1 && size != seen)
                {
                    throw new ArgumentException(labels[d] < Letters
                        ? $"einsum(): subscript {Letter(labels[d])} has size {size} for operand {i} which does not broadcast with previously seen size {seen}"
                        : $"einsum(): operands do not broadcast with remapped shapes (original->remapped): {string.Join(" ", _operands.Select(o => o.Shape.ToString()))}");
                }
            }
        }
    }

    private static int Subscript(char c, int index) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => 26 + (c - 'a'),
        _ => throw new ArgumentException($"einsum(): invalid subscript given at index {index} in the equation string, subscripts must be in [a-zA-Z]"),
    };

    /// <summary>The ellipsis dimensions, then the labels that appear exactly once, in label order.</summary>
    private List<int> ImplicitOutput()
    {
        var output = new List<int>();
        for (int k = 0; k < EllipsisDims; k++)
        {
            output.Add(Letters + k);
        }

        for (int label = 0; label < Letters; label++)
        {
            if (_count[label] == 1)
            {
                output.Add(label);
            }
        }

        return output;
    }

    private List<int> ExplicitOutput(string rhs, int start)
    {
        var output = new List<int>();
        bool ellipsis = false;
        for (int i = 0; i < rhs.Length; i++)
        {
            char c = rhs[i];
            if (c == ' ')
            {
                continue;
            }

            if (c == '.')
            {
                if (ellipsis)
                {
                    throw new ArgumentException("einsum(): found '.' for output but an ellipsis (...) was already found");
                }

                if (!(i + 2 < rhs.Length && rhs[++i] == '.' && rhs[++i] == '.'))
                {
                    throw new ArgumentException("einsum(): found '.' for output that is not part of any ellipsis (...)");
                }

                for (int k = 0; k < EllipsisDims; k++)
                {
                    output.Add(Letters + k);
                }

                ellipsis = true;
                continue;
            }

            int label = Subscript(c, start + i);
            if (_count[label] == 0)
            {
                throw new ArgumentException($"einsum(): output subscript {c} does not appear in the equation for any input operand");
            }

            if (output.Contains(label))
            {
                throw new ArgumentException($"einsum(): output subscript {c} appears more than once in the output");
            }

            output.Add(label);
        }

        return output;
    }
}
