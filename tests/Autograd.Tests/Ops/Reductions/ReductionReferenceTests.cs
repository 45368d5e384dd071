using System.Text.Json;
using FluentAssertions;
using Autograd.Tests.Reference;
using Xunit;

namespace Autograd.Tests.Ops.Reductions;

/// <summary>
/// Replays <c>Fixtures/reduction_cases.json</c> (tools/reference/reduction_cases.py, PyTorch 1.13): sum and mean over
/// several dims, prod with zeros, max/min/amax/amin with ties and NaN, argmax/argmin, var/std, the p-norms, logsumexp,
/// the cumulative ops, sort/topk/kthvalue/median/mode and any/all, in float32 and float64 with their first (and where
/// the op is twice differentiable, second) order gradients, integer dtypes, empty tensors and PyTorch's error messages.
/// </summary>
public class ReductionReferenceTests
{
    private static readonly double Inf = double.PositiveInfinity;

    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("reduction_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name]);

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        void Both(string name, Func<Tensor, Tensor> fn)
        {
            ops[name + "_float32"] = t => fn(t[0]);
            ops[name + "_float64"] = t => fn(t[0]);
        }

        void Pair(string name, Func<Tensor, ValuesAndIndices> fn)
        {
            Both(name, x => fn(x).Values);
            Both(name + "_idx", x => fn(x).Indices);
        }

        void One(string name, Func<Tensor, Tensor> fn) => ops[name] = t => fn(t[0]);

        // sum / mean
        Both("sum_dims02", x => x.Sum([0, 2]));
        Both("sum_dims02_keep", x => x.Sum([0, 2], keepDim: true));
        Both("sum_dims12", x => x.Sum([1, 2]));
        Both("sum_dims_neg_keep", x => x.Sum([-1, -3], keepDim: true));
        Both("sum_dims_empty_all", x => x.Sum([]));
        Both("sum_dims_outer_large", x => x.Sum([0]));
        Both("sum_dims_inner_large", x => x.Sum([1]));
        Both("sum_dims_transposed", x => x.Transpose(0, 1).Sum([0]));
        Both("sum_dims_empty_tensor", x => x.Sum([0]));
        Both("sum_dims_scalar", x => x.Sum([0]));
        One("sum_dtype_float64_from_float32", x => x.Sum(DType.Float64));
        One("sum_dims_int64", x => x.Sum([0]));
        One("sum_dims_int32_to_int64", x => x.Sum([0, 1]));
        One("sum_dims_bool_to_int64", x => x.Sum([1]));
        Both("mean_dims02_keep", x => x.Mean([0, 2], keepDim: true));
        Both("mean_dims_neg", x => x.Mean([-1]));
        Both("mean_dims_empty_slice", x => x.Mean([0]));
        One("mean_dims_int64_error", x => x.Mean([0]));
        One("sum_dims_repeated_error", x => x.Sum([0, 0]));
        One("sum_dims_out_of_range_error", x => x.Sum([3]));

        // prod
        Both("prod_all", x => x.Prod());
        Both("prod_dim1", x => x.Prod(1));
        Both("prod_dim0_keep", x => x.Prod(0, keepDim: true));
        Both("prod_dim_one_zero", x => x.Prod(1));
        Both("prod_dim_two_zeros", x => x.Prod(1));
        Both("prod_all_one_zero", x => x.Prod());
        Both("prod_all_two_zeros", x => x.Prod());
        Both("prod_empty", x => x.Prod(0));
        One("prod_int64", x => x.Prod(1));
        One("prod_bool_to_int64", x => x.Prod());

        // max / min
        Both("max_all_ties", x => x.Max());
        Both("min_all_ties", x => x.Min());
        Both("min_all_nan", x => x.Min());
        Both("min_all", x => x.Min());
        One("max_empty_error", x => x.Max());
        One("min_empty_error", x => x.Min());
        Pair("max_dim1", x => x.Max(1));
        Pair("max_dim0_keep", x => x.Max(0, keepDim: true));
        Pair("max_dim_neg", x => x.Max(-1));
        Pair("max_dim_ties_first", x => x.Max(1));
        Pair("max_dim_outer_ties", x => x.Max(0));
        Pair("max_dim_nan", x => x.Max(1));
        Pair("min_dim1", x => x.Min(1));
        Pair("min_dim_ties_first", x => x.Min(0));
        Pair("max_dim_scalar", x => x.Max(0));
        One("max_dim_zero_size_error", x => x.Max(0).Values);
        One("max_dim_out_of_range_error", x => x.Max(2).Values);
        One("max_dim_int64_idx", x => x.Max(1).Indices);
        One("max_dim_int64", x => x.Max(1).Values);

        // amax / amin
        Both("amax_dims02_ties", x => x.Amax([0, 2]));
        Both("amax_dims_keep", x => x.Amax([1], keepDim: true));
        Both("amax_all", x => x.Amax());
        Both("amin_dims_neg_ties", x => x.Amin([-1]));
        Both("amin_dims01", x => x.Amin([0, 1]));
        Both("amax_nan", x => x.Amax(1));
        Both("amax_nan_dim0", x => x.Amax(0));
        Both("amin_nan_dim0", x => x.Amin(0));
        Both("amax_empty_slice_ok", x => x.Amax(1));
        One("amax_empty_error", x => x.Amax());
        One("amax_int64", x => x.Amax(0));

        // argmax / argmin
        Both("argmax_all", x => x.ArgMax());
        Both("argmin_all", x => x.ArgMin());
        Both("argmax_dim1", x => x.ArgMax(1));
        Both("argmax_dim0_keep", x => x.ArgMax(0, keepDim: true));
        Both("argmin_dim_neg", x => x.ArgMin(-1));
        Both("argmin_dim0", x => x.ArgMin(0));
        Both("argmax_nan", x => x.ArgMax(1));
        Both("argmin_nan_all", x => x.ArgMin());
        Both("argmax_signed_zero", x => x.ArgMax(1));
        Both("argmin_signed_zero_dim0", x => x.ArgMin(0));
        Both("argmax_nan_dim0", x => x.ArgMax(0));
        One("argmax_int64", x => x.ArgMax(1));
        One("argmax_empty_error", x => x.ArgMax());
        One("argmax_dim_zero_size_error", x => x.ArgMax(0));

        // var / std
        Both("var_all", x => x.Var());
        Both("var_dims1", x => x.Var(1));
        Both("var_dims02_keep", x => x.Var([0, 2], keepDim: true));
        Both("var_correction0", x => x.Var(0, correction: 0));
        Both("var_correction2", x => x.Var([0, 1], correction: 2));
        Both("var_unbiased_false", x => x.Var(unbiased: false));
        Both("var_single_nan", x => x.Var(1));
        Both("std_all", x => x.Std());
        Both("std_dims_keep", x => x.Std([1], keepDim: true));
        Both("std_correction0", x => x.Std([0], correction: 0));
        Both("var_mean_var", x => x.VarMean([1]).Var);
        Both("var_mean_mean", x => x.VarMean([1]).Mean);
        Both("std_mean_std", x => x.StdMean([0], keepDim: true).Std);
        One("var_int64_error", x => x.Var());

        // norm
        foreach ((double p, string tag) in new[] { (1.0, "1"), (2.0, "2"), (Inf, "inf"), (-Inf, "neginf"), (0.5, "half"), (3.0, "3"), (1.5, "1p5"), (0.0, "0") })
        {
            Both($"norm_p{tag}_all", x => x.Norm(p));
            Both($"norm_p{tag}_dim1", x => x.Norm(p, [1]));
            Both($"norm_p{tag}_dims_keep", x => x.Norm(p, [0, 2], keepDim: true));
            Both($"norm_p{tag}_zero_vector", x => x.Norm(p, [1]));
        }

        Both("norm_fro_dims", x => x.Norm("fro", [0, 1]));
        Both("norm_inf_ties", x => x.Norm(Inf));
        One("norm_int64_error", x => x.Norm(2.0, [0]));

        // logsumexp
        Both("logsumexp_dim1", x => x.LogSumExp(1));
        Both("logsumexp_dims02_keep", x => x.LogSumExp([0, 2], keepDim: true));
        Both("logsumexp_large", x => x.LogSumExp(1));
        Both("logsumexp_neginf_row", x => x.LogSumExp(1));
        Both("logsumexp_posinf", x => x.LogSumExp(0));
        Both("logsumexp_empty", x => x.LogSumExp(0));
        One("logsumexp_int64_to_float32", x => x.LogSumExp(0));

        // cumulative
        Both("cumsum_dim0", x => x.CumSum(0));
        Both("cumsum_dim_neg", x => x.CumSum(-1));
        Both("cumsum_scalar", x => x.CumSum(0));
        One("cumsum_int64", x => x.CumSum(1));
        One("cumsum_bool_to_int64", x => x.CumSum(0));
        Both("cumprod_dim1", x => x.CumProd(1));
        Both("cumprod_dim0", x => x.CumProd(0));
        Both("cumprod_zeros", x => x.CumProd(1));
        Both("cumprod_zeros_dim0", x => x.CumProd(0));
        One("cumprod_int64", x => x.CumProd(1));
        Pair("cummax_ties_nan", x => x.Cummax(0));
        Pair("cummax_dim1", x => x.Cummax(1));
        Pair("cummin_dim0", x => x.Cummin(0));

        // sort and selection
        Pair("sort_last", x => x.Sort());
        Pair("sort_dim0_desc", x => x.Sort(0, descending: true));
        Pair("sort_stable_ties", x => x.Sort(1, stable: true));
        Pair("sort_stable_ties_desc", x => x.Sort(0, descending: true, stable: true));
        Pair("sort_nan", x => x.Sort());
        Pair("sort_nan_desc", x => x.Sort(descending: true));
        Both("argsort", x => x.ArgSort(1));
        Both("argsort_desc", x => x.ArgSort(0, descending: true));
        Pair("topk3", x => x.TopK(3));
        Pair("topk2_smallest_dim0", x => x.TopK(2, 0, largest: false));
        Pair("topk_nan", x => x.TopK(2));
        One("topk_k_error", x => x.TopK(4).Values);
        Pair("kthvalue2", x => x.Kthvalue(2, 1));
        Pair("kthvalue_keep_dim0", x => x.Kthvalue(3, 0, keepDim: true));
        One("kthvalue_k_error", x => x.Kthvalue(4).Values);
        Both("median_all_odd", x => x.Median());
        Both("median_all_even_lower", x => x.Median());
        Both("median_all_ties", x => x.Median());
        Both("median_all_nan", x => x.Median());
        Both("median_all_empty", x => x.Median());
        Pair("median_dim1", x => x.Median(1));
        Pair("median_dim0_keep", x => x.Median(0, keepDim: true));
        Pair("median_dim_nan", x => x.Median(0));
        Pair("mode_dim", x => x.Mode(1));
        Pair("mode_dim0_keep", x => x.Mode(0, keepDim: true));

        // empty tensors
        Pair("max_dim_empty_rows", x => x.Max(1));
        Pair("sort_empty", x => x.Sort(0));
        Pair("topk_k0", x => x.TopK(0));
        Pair("cummax_empty", x => x.Cummax(1));
        Both("cumsum_empty", x => x.CumSum(0));
        Both("cumprod_empty", x => x.CumProd(1));
        Both("var_empty_nan", x => x.Var(0));

        // any / all
        One("any_dims02", x => x.Any([0, 2]));
        One("any_dims02_keep", x => x.Any([0, 2], keepDim: true));
        One("all_dims12", x => x.All([1, 2]));
        One("all_dims_float", x => x.All([0, 1], keepDim: true));
        return ops;
    }
}
