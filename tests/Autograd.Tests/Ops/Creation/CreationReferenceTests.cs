using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Creation;

/// <summary>
/// linspace, logspace, full_like, zeros_like, ones_like, empty_like, one_hot, tril_indices, triu_indices and meshgrid
/// (stacked, with gradients) against PyTorch 1.13
/// (<c>Fixtures/creation_cases.json</c>, written by <c>tools/reference/creation_cases.py</c>), and PyTorch's error
/// messages for the random ops. linspace and logspace must match bit for bit (scale 0: the tolerance is zero), since
/// the kernel reproduces PyTorch's operation order, fused multiply-adds and vector blocking; both sides' pow is glibc's.
/// A linspace/logspace case is named "&lt;op&gt;:&lt;dtype&gt;:&lt;label&gt;" and reads start, end, steps (and base) from its
/// inputs; every other case has its own entry.
/// </summary>
public class CreationReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("creation_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name)
    {
        bool exact = name.StartsWith("linspace:", StringComparison.Ordinal) || name.StartsWith("logspace:", StringComparison.Ordinal);
        ReferenceFixture.Replay(name, s_cases.Value[name], Ops[OpOf(name)], scale: exact ? 0 : 1);
    }

    [Fact]
    public void EveryOpHasCasesAndEveryCaseAnOp() =>
        Ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys.Select(OpOf).Distinct());

    private static string OpOf(string name) =>
        name.StartsWith("linspace:", StringComparison.Ordinal) || name.StartsWith("logspace:", StringComparison.Ordinal)
            ? name[..name.LastIndexOf(':')]
            : name;

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        foreach ((string label, DType dtype) in new[] { ("float32", DType.Float32), ("float64", DType.Float64), ("int64", DType.Int64), ("int32", DType.Int32) })
        {
            ops[$"linspace:{label}"] = t => Tensor.Linspace(t[0].Item<double>(), t[1].Item<double>(), (int)t[2].Item<long>(), dtype);
            ops[$"logspace:{label}"] = t => Tensor.Logspace(t[0].Item<double>(), t[1].Item<double>(), (int)t[2].Item<long>(), t[3].Item<double>(), dtype);
        }

        ops["linspace_error:negative_steps"] = _ => Tensor.Linspace(0, 1, -1);
        ops["logspace_error:negative_steps"] = _ => Tensor.Logspace(0, 1, -1);
        ops["linspace_error:bool"] = _ => Tensor.Linspace(0, 1, 5, DType.Bool);
        ops["logspace_error:bool"] = _ => Tensor.Logspace(0, 1, 5, dtype: DType.Bool);

        ops["full_like:float32"] = t => Tensor.FullLike(t[0], 2.5);
        ops["full_like:float64"] = t => Tensor.FullLike(t[0], -1.0 / 3.0);
        ops["full_like:int64"] = t => Tensor.FullLike(t[0], 2.7);
        ops["full_like:int64_negative"] = t => Tensor.FullLike(t[0], -2.7);
        ops["full_like:bool"] = t => Tensor.FullLike(t[0], 1.0);
        ops["full_like:to_float64"] = t => Tensor.FullLike(t[0], 0.1, DType.Float64);
        ops["full_like:to_int32"] = t => Tensor.FullLike(t[0], 7.9, DType.Int32);
        ops["full_like:inf"] = t => Tensor.FullLike(t[0], double.PositiveInfinity);
        ops["full_like:nan"] = t => Tensor.FullLike(t[0], double.NaN);
        ops["full_like:empty"] = t => Tensor.FullLike(t[0], 3.0);
        ops["zeros_like:int64_to_float64"] = t => Tensor.ZerosLike(t[0], DType.Float64);
        ops["ones_like:bool"] = t => Tensor.OnesLike(t[0]);
        ops["empty_like:float64"] = t => Tensor.EmptyLike(t[0]);
        ops["empty_like:to_int32"] = t => Tensor.EmptyLike(t[0], DType.Int32);

        ops["one_hot:inferred"] = t => Functional.OneHot(t[0]);
        ops["one_hot:classes5"] = t => Functional.OneHot(t[0], 5);
        ops["one_hot:matrix"] = t => Functional.OneHot(t[0], 3);
        ops["one_hot:scalar"] = t => Functional.OneHot(t[0], 4);
        ops["one_hot:empty"] = t => Functional.OneHot(t[0], 3);
        ops["one_hot:empty_matrix"] = t => Functional.OneHot(t[0], 2);
        ops["one_hot:zeros"] = t => Functional.OneHot(t[0]);
        ops["one_hot:too_large"] = t => Functional.OneHot(t[0], 3);
        ops["one_hot:negative"] = t => Functional.OneHot(t[0], 3);
        ops["one_hot:negative_inferred"] = t => Functional.OneHot(t[0]);
        ops["one_hot:float"] = t => Functional.OneHot(t[0]);
        ops["one_hot:int32"] = t => Functional.OneHot(t[0]);
        ops["one_hot:empty_inferred"] = t => Functional.OneHot(t[0]);
        ops["one_hot:classes_minus2"] = t => Functional.OneHot(t[0], -2);

        foreach (string label in new[] { "3x3", "3x3_above", "3x3_below", "4x2", "2x5_far", "2x5_far_below", "0x3", "3x0", "1x1", "5x5_out" })
        {
            ops[$"tril_indices:{label}"] = t => Tensor.TrilIndices((int)t[0].Item<long>(), (int)t[1].Item<long>(), (int)t[2].Item<long>());
            ops[$"triu_indices:{label}"] = t => Tensor.TriuIndices((int)t[0].Item<long>(), (int)t[1].Item<long>(), (int)t[2].Item<long>());
        }

        ops["tril_indices_int32:4x3"] = _ => Tensor.TrilIndices(4, 3, dtype: DType.Int32);
        ops["tril_indices_error:row"] = _ => Tensor.TrilIndices(-1, 3);
        ops["triu_indices_error:col"] = _ => Tensor.TriuIndices(3, -1);
        ops["triu_indices_error:float"] = _ => Tensor.TriuIndices(3, 4, 1, DType.Float32);
        ops["tril_indices_error:bool"] = _ => Tensor.TrilIndices(3, 3, dtype: DType.Bool);

        ops["meshgrid:ij2"] = t => Tensor.Stack(Tensor.Meshgrid(t[0], t[1]));
        ops["meshgrid:xy2"] = t => Tensor.Stack(Tensor.Meshgrid(t, "xy"));
        ops["meshgrid:ij3"] = t => Tensor.Stack(Tensor.Meshgrid(t, "ij"));
        ops["meshgrid:xy3"] = t => Tensor.Stack(Tensor.Meshgrid(t, "xy"));
        ops["meshgrid:xy1"] = t => Tensor.Stack(Tensor.Meshgrid(t, "xy"));
        ops["meshgrid:scalar"] = t => Tensor.Stack(Tensor.Meshgrid(t, "ij"));
        ops["meshgrid:int64"] = t => Tensor.Stack(Tensor.Meshgrid(t, "xy"));
        ops["meshgrid:empty"] = t => Tensor.Stack(Tensor.Meshgrid(t, "ij"));
        ops["meshgrid_error:dtypes"] = t => Tensor.Meshgrid(t, "ij")[0];
        ops["meshgrid_error:indexing"] = t => Tensor.Meshgrid(t, "foo")[0];
        ops["meshgrid_error:empty"] = _ => Tensor.Meshgrid([], "ij")[0];

        foreach (string name in new[] { "negative", "inf", "nan", "zero_sum", "zero_row", "3d", "0d", "int", "empty" })
        {
            ops[$"multinomial:{name}"] = t => Tensor.Multinomial(t[0], 1);
        }

        ops["multinomial:too_many"] = t => Tensor.Multinomial(t[0], 3);
        ops["multinomial:zero_samples"] = t => t[0].Multinomial(0);
        foreach (string name in new[] { "negative", "nan", "inf", "zero_sum" })
        {
            ops[$"multinomial:replacement_{name}"] = t => Tensor.Multinomial(t[0], 3, replacement: true);
        }

        ops["bernoulli:above_one"] = t => Tensor.Bernoulli(t[0]);
        ops["bernoulli:negative"] = t => t[0].Bernoulli();
        ops["bernoulli:int"] = t => Tensor.Bernoulli(t[0]);
        ops["bernoulli:scalar_p"] = t => Tensor.Bernoulli(t[0], 1.5);
        ops["bernoulli_:scalar_p"] = t => t[0].Bernoulli_(-0.5);
        ops["bernoulli_:tensor_p"] = t => t[0].Bernoulli_(t[1]);
        ops["normal:negative_std"] = _ => Tensor.Normal(0.0, -1.0, [2]);
        ops["normal:tensor_mean_negative_std"] = t => Tensor.Normal(t[0], -1.0);
        ops["normal:tensor_std_negative"] = t => Tensor.Normal(t[0], t[1]);
        ops["normal:scalar_mean_tensor_std_negative"] = t => Tensor.Normal(0.5, t[0]);
        ops["normal:shapes"] = t => Tensor.Normal(t[0], t[1]);
        ops["normal:int_mean"] = t => Tensor.Normal(t[0], 1.0);
        ops["normal:int_dtype"] = _ => Tensor.Normal(0.0, 1.0, [2], DType.Int64);
        ops["normal_:negative_std"] = t => t[0].Normal_(0, -1);
        ops["normal_:int"] = t => t[0].Normal_();
        ops["uniform_:reversed"] = t => t[0].Uniform_(2, 1);
        ops["uniform_:int"] = t => t[0].Uniform_();
        ops["exponential_:negative"] = t => t[0].Exponential_(-1);
        ops["exponential_:int"] = t => t[0].Exponential_();
        ops["randint:equal"] = _ => Tensor.Randint(5, 5, [2]);
        ops["randint:reversed"] = _ => Tensor.Randint(6, 5, [2]);
        ops["randint:high_zero"] = _ => Tensor.Randint(0, [2]);
        ops["randint_like:reversed"] = t => Tensor.RandintLike(t[0], 3, 1);
        ops["randperm:negative"] = _ => Tensor.RandPerm(-1);
        ops["randperm:bool"] = _ => Tensor.RandPerm(3, DType.Bool);
        ops["rand_like:int"] = t => Tensor.RandLike(t[0]);
        ops["randn_like:int"] = t => Tensor.RandnLike(t[0]);
        ops["randn:int"] = _ => Tensor.Randn([2], DType.Int64);
        ops["rand:int"] = _ => Tensor.Rand([2], DType.Int64);
        return ops;
    }
}
