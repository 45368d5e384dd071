using System.Text.Json;
using FluentAssertions;
using Xunit;
using static Autograd.Tests.Ops.OpReferenceTests;

namespace Autograd.Tests.Ops;

/// <summary>
/// Replays every case of <c>Fixtures/index_cases.json</c> (written by <c>tools/reference/index_cases.py</c> with
/// PyTorch 1.13): index_select, gather, scatter, scatter_add, index_add, take, index_put and <c>x[...]</c> with int64
/// and bool tensor indices, getting and setting. Value cases must match PyTorch's output and every input gradient
/// (with the tolerance of <see cref="OpReferenceTests"/>; these ops only move and add values); error cases must throw
/// with a message that starts with PyTorch's.
/// </summary>
public class IndexReferenceTests
{
    private static readonly JsonSerializerOptions s_jsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<IndexFixture> s_fixture = new(Load);

    /// <summary>Each fixture case, by name: float inputs (in the fixture's order), then index tensors.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor[], Tensor>> s_ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_fixture.Value.Cases.ToDictionary(c => c.Name));

    public static TheoryData<string> ErrorNames => FixtureNames.Of(s_fixture.Value.Errors.ToDictionary(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradients_MatchPyTorch(string name)
    {
        IndexCase c = s_fixture.Value.Cases.Single(x => x.Name == name);
        s_ops.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        Tensor[] inputs = [.. c.Inputs.Select(i => ToTensor(i, i.RequiresGrad))];
        Tensor[] indices = [.. c.Indices.Select(ToIndex)];

        Tensor output = s_ops[name](inputs, indices);
        ShouldMatch(output, c.Output, $"{name}: output");
        if (!output.RequiresGrad)
        {
            c.Grads.Should().AllSatisfy(g => g.Should().BeNull(), "{0}: no input requires grad", name);
            return;
        }

        output.Backward(ToTensor(c.Upstream, false));
        for (int i = 0; i < inputs.Length; i++)
        {
            TensorData? expected = c.Grads[i];
            if (expected is null)
            {
                inputs[i].Grad.Should().BeNull($"{name}: input {i} does not require grad");
                continue;
            }

            inputs[i].Grad.Should().NotBeNull($"{name}: input {i} requires grad");
            ShouldMatch(inputs[i].Grad!, expected, $"{name}: gradient of input {i}");
        }
    }

    [Theory]
    [MemberData(nameof(ErrorNames))]
    public void Errors_MatchPyTorch(string name)
    {
        IndexError c = s_fixture.Value.Errors.Single(x => x.Name == name);
        s_ops.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        Tensor[] inputs = [.. c.Inputs.Select(i => ToTensor(i, false))];
        Tensor[] indices = [.. c.Indices.Select(ToIndex)];
        Tensor[] before = [.. inputs.Select(t => t.Clone())];

        Action act = () => s_ops[name](inputs, indices);

        act.Should().Throw<ArgumentException>().Which.Message.Should().StartWith(c.Message);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].Equal(before[i]).Should().BeTrue($"{name}: a failed op leaves input {i} untouched");
        }
    }

    [Fact]
    public void EveryOpCaseHasAFixture()
    {
        IEnumerable<string> names = s_fixture.Value.Cases.Select(c => c.Name).Concat(s_fixture.Value.Errors.Select(c => c.Name));
        s_ops.Keys.Should().BeEquivalentTo(names, "the C# cases and index_cases.py must name the same cases");
        s_fixture.Value.Cases.Count.Should().BeGreaterThanOrEqualTo(50);
        s_fixture.Value.Errors.Count.Should().BeGreaterThanOrEqualTo(25);
    }

    /// <summary>The generator's <c>setitem</c>: x[index] = v on a clone (inputs that do not require grad: the write is not recorded).</summary>
    private static Tensor SetItem(Tensor x, Tensor value, params TensorIndex[] index)
    {
        Tensor y = x.Clone();
        y[index] = value;
        return y;
    }

    private static Dictionary<string, Func<Tensor[], Tensor[], Tensor>> BuildOps() => new()
    {
        ["index_select_dim0"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["index_select_dim1_repeated"] = (t, i) => t[0].IndexSelect(1, i[0]),
        ["index_select_negdim_3d"] = (t, i) => t[0].IndexSelect(-2, i[0]),
        ["index_select_0d_index"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["index_select_empty"] = (t, i) => t[0].IndexSelect(1, i[0]),
        ["index_select_int32"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["index_select_transposed"] = (t, i) => t[0].T.IndexSelect(0, i[0]),

        ["gather_dim0"] = (t, i) => t[0].Gather(0, i[0]),
        ["gather_dim1_repeated"] = (t, i) => t[0].Gather(1, i[0]),
        ["gather_smaller_index"] = (t, i) => t[0].Gather(1, i[0]),
        ["gather_larger_along_dim"] = (t, i) => t[0].Gather(0, i[0]),
        ["gather_3d_negdim"] = (t, i) => t[0].Gather(-1, i[0]),
        ["gather_transposed"] = (t, i) => t[0].T.Gather(0, i[0]),

        ["scatter_src_dim0"] = (t, i) => t[0].Scatter(0, i[0], t[1]),
        ["scatter_src_dim1"] = (t, i) => t[0].Scatter(1, i[0], t[1]),
        ["scatter_only_src_grad"] = (t, i) => t[0].Scatter(1, i[0], t[1]),
        ["scatter_value"] = (t, i) => t[0].Scatter(0, i[0], 2.5),
        ["scatter_empty_index"] = (t, i) => t[0].Scatter(0, i[0], t[1]),
        ["scatter_add_repeated"] = (t, i) => t[0].ScatterAdd(0, i[0], t[1]),
        ["scatter_add_3d"] = (t, i) => t[0].ScatterAdd(1, i[0], t[1]),
        ["scatter_add_transposed_src"] = (t, i) => t[0].ScatterAdd(1, i[0], t[1].T),

        ["index_add_dim0"] = (t, i) => t[0].IndexAdd(0, i[0], t[1]),
        ["index_add_repeated_alpha"] = (t, i) => t[0].IndexAdd(1, i[0], t[1], alpha: -1.5),
        ["index_add_int32_3d"] = (t, i) => t[0].IndexAdd(-1, i[0], t[1]),
        ["index_add_empty"] = (t, i) => t[0].IndexAdd(0, i[0], t[1]),

        ["take_2d_index_negative"] = (t, i) => t[0].Take(i[0]),
        ["take_transposed"] = (t, i) => t[0].T.Take(i[0]),

        ["index_put_one_index"] = (t, i) => t[0].IndexPut([i[0]], t[1]),
        ["index_put_two_broadcast_value"] = (t, i) => t[0].IndexPut([i[0], i[1]], t[1]),
        ["index_put_accumulate_repeated"] = (t, i) => t[0].IndexPut([i[0], i[1]], t[1], accumulate: true),
        ["index_put_accumulate_broadcast"] = (t, i) => t[0].IndexPut([i[0]], t[1], accumulate: true),
        ["index_put_mask"] = (t, i) => t[0].IndexPut([i[0]], t[1]),
        ["index_put_broadcast_indices"] = (t, i) => t[0].IndexPut([i[0], i[1]], t[1], accumulate: true),
        ["index_put_only_values_grad"] = (t, i) => t[0].IndexPut([i[0]], t[1]),

        ["getitem_long_dim0"] = (t, i) => t[0][i[0]],
        ["getitem_long_2d_index"] = (t, i) => t[0][i[0]],
        ["getitem_long_after_slice"] = (t, i) => t[0][.., i[0]],
        ["getitem_long_middle_3d"] = (t, i) => t[0][.., i[0], 1..],
        ["getitem_two_adjacent"] = (t, i) => t[0][.., i[0], i[1]],
        ["getitem_two_broadcast"] = (t, i) => t[0][i[0], i[1]],
        ["getitem_separated_move_front"] = (t, i) => t[0][i[0], .., i[1]],
        ["getitem_separated_by_newaxis"] = (t, i) => t[0][i[0], TensorIndex.NewAxis, i[1]],
        ["getitem_int_and_tensor"] = (t, i) => t[0][1, .., i[0]],
        ["getitem_ellipsis_tensor"] = (t, i) => t[0][TensorIndex.Ellipsis, i[0]],
        ["getitem_empty_index"] = (t, i) => t[0][i[0]],
        ["getitem_mask_rows"] = (t, i) => t[0][i[0]],
        ["getitem_mask_full"] = (t, i) => t[0][i[0]],
        ["getitem_mask_after_slice"] = (t, i) => t[0][.., i[0]],
        ["getitem_mask_and_long"] = (t, i) => t[0][i[0], i[1]],
        ["getitem_mask_none_true"] = (t, i) => t[0][i[0]],
        ["getitem_bool_scalar"] = (t, i) => t[0][i[0]],
        ["getitem_long_0d_alone"] = (t, i) => t[0][i[0]],
        ["getitem_transposed"] = (t, i) => t[0].T[i[0]],
        ["getitem_chain_exp"] = (t, i) => (t[0][i[0]] * t[0][i[0]]).Exp(),

        ["setitem_long"] = (t, i) => SetItem(t[0], t[1], i[0]),
        ["setitem_mask_scalar"] = (t, i) => SetItem(t[0], 0.5f, i[0]),
        ["setitem_slice_and_tensor"] = (t, i) => SetItem(t[0], t[1], .., i[0]),
        ["setitem_two_tensors"] = (t, i) => SetItem(t[0], t[1], i[0], i[1]),

        ["err_index_select_out_of_range"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["err_index_select_negative"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["err_index_select_dim1"] = (t, i) => t[0].IndexSelect(1, i[0]),
        ["err_index_select_matrix"] = (t, i) => t[0].IndexSelect(0, i[0]),
        ["err_gather_out_of_range"] = (t, i) => t[0].Gather(0, i[0]),
        ["err_gather_negative"] = (t, i) => t[0].Gather(1, i[0]),
        ["err_gather_int32"] = (t, i) => t[0].Gather(0, i[0]),
        ["err_gather_rank"] = (t, i) => t[0].Gather(0, i[0]),
        ["err_gather_size"] = (t, i) => t[0].Gather(0, i[0]),
        ["err_scatter_out_of_range"] = (t, i) => t[0].Scatter(1, i[0], t[1]),
        ["err_scatter_src_small"] = (t, i) => t[0].Scatter(0, i[0], t[1]),
        ["err_scatter_add_out_of_range"] = (t, i) => t[0].ScatterAdd(0, i[0], t[1]),
        ["err_index_add_out_of_range"] = (t, i) => t[0].IndexAdd(0, i[0], t[1]),
        ["err_index_add_count"] = (t, i) => t[0].IndexAdd(0, i[0], t[1]),
        ["err_index_add_shape"] = (t, i) => t[0].IndexAdd(0, i[0], t[1]),
        ["err_take_out_of_range"] = (t, i) => t[0].Take(i[0]),
        ["err_take_negative"] = (t, i) => t[0].Take(i[0]),
        ["err_index_put_out_of_range"] = (t, i) => t[0].IndexPut([i[0]], t[1]),
        ["err_index_put_value_shape"] = (t, i) => t[0].IndexPut([i[0]], t[1]),
        ["err_getitem_out_of_range"] = (t, i) => t[0][i[0]],
        ["err_getitem_negative"] = (t, i) => t[0][i[0]],
        ["err_getitem_after_slice"] = (t, i) => t[0][.., i[0]],
        ["err_getitem_int32"] = (t, i) => t[0][i[0]],
        ["err_getitem_mask_shape"] = (t, i) => t[0][i[0]],
        ["err_getitem_mask_shape_dim1"] = (t, i) => t[0][.., i[0]],
        ["err_getitem_broadcast"] = (t, i) => t[0][i[0], i[1]],

        // In place on the input itself (not a clone): a failed write must leave it untouched, which the test checks.
        ["err_setitem_out_of_range"] = (t, i) =>
        {
            t[0][i[0]] = 1f;
            return t[0];
        },
    };

    private static Tensor ToIndex(IndexData data) => data.Dtype switch
    {
        "int64" => Tensor.From([.. data.Data.Select(e => e.GetInt64())], data.Shape),
        "int32" => Tensor.From([.. data.Data.Select(e => e.GetInt32())], data.Shape),
        "bool" => Tensor.From([.. data.Data.Select(e => e.GetBoolean())], data.Shape),
        _ => throw new InvalidOperationException($"unknown index dtype {data.Dtype}"),
    };

    private static IndexFixture Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "index_cases.json");
        return JsonSerializer.Deserialize<IndexFixture>(File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidOperationException($"Could not read {path}");
    }

    internal sealed record IndexFixture(string TorchVersion, List<IndexCase> Cases, List<IndexError> Errors);

    internal sealed record IndexCase(string Name, List<TensorData> Inputs, List<IndexData> Indices, TensorData Upstream, TensorData Output, List<TensorData?> Grads);

    internal sealed record IndexError(string Name, List<TensorData> Inputs, List<IndexData> Indices, string Message);

    internal sealed record IndexData(int[] Shape, string Dtype, List<JsonElement> Data);
}
