using System.Text.Json;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.ElementwiseMath;

/// <summary>
/// The element-wise math family against PyTorch 1.13: <c>Fixtures/math_cases.json</c>, written by
/// tools/reference/math_cases.py (values, first- and second-order gradients, edge values, integer promotion, errors).
/// </summary>
public class MathReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("math_cases.json"));

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
        var unary = new Dictionary<string, Func<Tensor, Tensor>>
        {
            ["sqrt"] = x => x.Sqrt(),
            ["rsqrt"] = Tensor.Rsqrt,
            ["reciprocal"] = x => x.Reciprocal(),
            ["exp2"] = Tensor.Exp2,
            ["expm1"] = x => x.Expm1(),
            ["log2"] = Tensor.Log2,
            ["log10"] = x => x.Log10(),
            ["log1p"] = Tensor.Log1p,
            ["sinh"] = x => x.Sinh(),
            ["cosh"] = Tensor.Cosh,
            ["tan"] = x => x.Tan(),
            ["asin"] = Tensor.Asin,
            ["acos"] = x => x.Acos(),
            ["atan"] = Tensor.Atan,
            ["asinh"] = x => x.Asinh(),
            ["acosh"] = Tensor.Acosh,
            ["atanh"] = x => x.Atanh(),
            ["erf"] = Tensor.Erf,
            ["erfc"] = x => x.Erfc(),
            ["erfinv"] = Tensor.Erfinv,
        };
        foreach ((string name, Func<Tensor, Tensor> f) in unary)
        {
            foreach (string suffix in new[] { "f32", "f64", "edges_f32", "edges_f64", "int64", "empty", "0d_f64" })
            {
                ops[$"{name}_{suffix}"] = t => f(t[0]);
            }
        }

        foreach (string name in new[] { "erf", "erfc", "erfinv" })
        {
            ops[$"{name}_sweep_f64"] = t => unary[name](t[0]);
            ops[$"{name}_sweep_f32"] = t => unary[name](t[0]);
        }

        var keeping = new Dictionary<string, Func<Tensor, Tensor>>
        {
            ["abs"] = x => x.Abs(),
            ["sign"] = Tensor.Sign,
            ["sgn"] = x => x.Sgn(),
            ["floor"] = Tensor.Floor,
            ["ceil"] = x => x.Ceil(),
            ["round"] = Tensor.Round,
            ["trunc"] = x => x.Trunc(),
            ["square"] = Tensor.Square,
        };
        foreach ((string name, Func<Tensor, Tensor> f) in keeping)
        {
            foreach (string suffix in new[] { "int64", "int32", "f32", "f64", "edges_f32", "edges_f64" })
            {
                ops[$"{name}_{suffix}"] = t => f(t[0]);
            }
        }

        ops["abs_int64_min"] = t => t[0].Abs();
        ops["sign_bool"] = t => t[0].Sign();
        ops["square_bool"] = t => t[0].Square();
        ops["sqrt_bool"] = t => t[0].Sqrt();
        ops["abs_bool"] = t => t[0].Abs();
        ops["floor_bool"] = t => t[0].Floor();
        ops["frac_int64"] = t => t[0].Frac();
        ops["round_decimals_int64"] = t => t[0].Round(1);
        foreach (string suffix in new[] { "f32", "f64" })
        {
            ops[$"frac_{suffix}"] = t => t[0].Frac();
            ops[$"frac_edges_{suffix}"] = t => Tensor.Frac(t[0]);
            ops[$"round_decimals2_{suffix}"] = t => t[0].Round(2);
            ops[$"round_decimals_neg2_{suffix}"] = t => Tensor.Round(t[0], -2);
            ops[$"sign_grad_nan_{suffix}"] = t => t[0].Sign();
        }

        var binary = new Dictionary<string, Func<Tensor, Tensor, Tensor>>
        {
            ["atan2"] = Tensor.Atan2,
            ["hypot"] = (a, b) => a.Hypot(b),
            ["maximum"] = Tensor.Maximum,
            ["minimum"] = (a, b) => a.Minimum(b),
            ["pow"] = Tensor.Pow,
            ["fmod"] = (a, b) => a.Fmod(b),
            ["remainder"] = Tensor.Remainder,
            ["xlogy"] = (a, b) => a.Xlogy(b),
        };
        foreach ((string name, Func<Tensor, Tensor, Tensor> f) in binary)
        {
            foreach (string suffix in new[] { "f32", "f64" })
            {
                for (int k = 0; k < 5; k++)
                {
                    ops[$"{name}_{suffix}_shape{k}"] = t => f(t[0], t[1]);
                }

                ops[$"{name}_edges_{suffix}"] = t => f(t[0], t[1]);
            }

            foreach (string suffix in new[] { "int64_f64", "bad_shapes", "empty", "f32_f64_mixed" })
            {
                ops[$"{name}_{suffix}"] = t => f(t[0], t[1]);
            }
        }

        foreach (string name in new[] { "maximum", "minimum" })
        {
            foreach (string suffix in new[] { "ties_f32", "ties_f64", "int64", "int32_int64", "bool" })
            {
                ops[$"{name}_{suffix}"] = t => binary[name](t[0], t[1]);
            }
        }

        foreach (string name in new[] { "fmod", "remainder", "pow", "atan2", "xlogy" })
        {
            ops[$"{name}_int64"] = t => binary[name](t[0], t[1]);
        }

        ops["pow_int64_negative_exponent"] = t => t[0].Pow(t[1]);
        ops["pow_int32"] = t => t[0].Pow(t[1]);
        ops["fmod_int_zero"] = t => t[0].Fmod(t[1]);
        ops["remainder_int_zero"] = t => t[0].Remainder(t[1]);
        ops["hypot_int64"] = t => t[0].Hypot(t[1]);
        ops["fmod_bool"] = t => t[0].Fmod(t[1]);
        ops["pow_bool"] = t => t[0].Pow(t[1]);
        ops["atan2_bool"] = t => t[0].Atan2(t[1]);
        foreach (string suffix in new[] { "f32", "f64" })
        {
            ops[$"fmod_scalar_{suffix}"] = t => t[0].Fmod(1.5);
            ops[$"fmod_scalar_neg_{suffix}"] = t => Tensor.Fmod(t[0], -1.5);
            ops[$"remainder_scalar_{suffix}"] = t => t[0].Remainder(1.5);
            ops[$"remainder_scalar_neg_{suffix}"] = t => Tensor.Remainder(t[0], -1.5);
            ops[$"fmod_scalar_int_{suffix}"] = t => t[0].Fmod(2);
            ops[$"pow_scalar_base_{suffix}"] = t => Tensor.Pow(2.5, t[0]);
            ops[$"pow_scalar_base_zero_{suffix}"] = t => Tensor.Pow(0.0, t[0]);
            ops[$"pow_scalar_base_int_{suffix}"] = t => Tensor.Pow(3, t[0]);
            ops[$"pow_zero_base_{suffix}"] = t => Tensor.Pow(t[0], t[1]);
            ops[$"xlogy_scalar_{suffix}"] = t => t[0].Xlogy(3.0);
            ops[$"xlogy_zero_x_{suffix}"] = t => Tensor.Xlogy(t[0], t[1]);
        }

        ops["fmod_int64_scalar_int"] = t => t[0].Fmod(3);
        ops["fmod_int64_scalar_float"] = t => t[0].Fmod(2.5);
        ops["remainder_int64_scalar_int"] = t => t[0].Remainder(-3);
        ops["pow_scalar_base_int_int64"] = t => Tensor.Pow(2, t[0]);
        ops["pow_scalar_base_float_int64"] = t => Tensor.Pow(2.5, t[0]);

        foreach (string suffix in new[] { "f32", "f64" })
        {
            ops[$"clamp_scalar_{suffix}"] = t => t[0].Clamp(-0.5, 0.5);
            ops[$"clamp_scalar_min_only_{suffix}"] = t => t[0].Clamp(min: 0.0, max: null);
            ops[$"clamp_scalar_max_only_{suffix}"] = t => Tensor.Clamp(t[0], null, 0.3);
            ops[$"clamp_scalar_min_gt_max_{suffix}"] = t => t[0].Clamp(1.0, 0.0);
            ops[$"clamp_scalar_nan_bound_{suffix}"] = t => t[0].Clamp(double.NaN, 1.0);
            ops[$"clamp_min_scalar_{suffix}"] = t => t[0].ClampMin(0.3);
            ops[$"clamp_max_scalar_{suffix}"] = t => Tensor.ClampMax(t[0], 0.3);
            ops[$"clamp_random_{suffix}"] = t => t[0].Clamp(-0.5f, 0.5f);
            ops[$"clamp_tensor_{suffix}"] = t => t[0].Clamp(t[1], t[2]);
            ops[$"clamp_tensor_crossed_{suffix}"] = t => Tensor.Clamp(t[0], t[1], t[2]);
            ops[$"clamp_tensor_min_only_{suffix}"] = t => t[0].Clamp(t[1], null);
            ops[$"clamp_tensor_max_only_{suffix}"] = t => t[0].Clamp(null, t[1]);
            ops[$"clamp_min_tensor_{suffix}"] = t => t[0].ClampMin(t[1]);
            ops[$"clamp_max_tensor_{suffix}"] = t => Tensor.ClampMax(t[0], t[1]);
            ops[$"clamp_tensor_ties_{suffix}"] = t => t[0].Clamp(t[1], t[2]);
        }

        ops["clamp_int64"] = t => t[0].Clamp(-1, 2);
        ops["clamp_int64_float_bounds"] = t => t[0].Clamp(-1.5, 2.5);
        ops["clamp_int64_tensor_f32_bound"] = t => t[0].Clamp(t[1], null);
        ops["clamp_f32_tensor_int_bound"] = t => t[0].Clamp(t[1], null);
        ops["clamp_empty"] = t => t[0].Clamp(0.0, 1.0);
        ops["clamp_no_bounds"] = t => t[0].Clamp((double?)null, null);
        ops["clamp_tensor_bad_shapes"] = t => t[0].ClampMin(t[1]);

        foreach (string suffix in new[] { "f32", "f64" })
        {
            ops[$"lerp_scalar_small_{suffix}"] = t => t[0].Lerp(t[1], 0.25);
            ops[$"lerp_scalar_large_{suffix}"] = t => Tensor.Lerp(t[0], t[1], 0.75);
            ops[$"lerp_scalar_one_{suffix}"] = t => t[0].Lerp(t[1], 1.0f);
            ops[$"lerp_scalar_broadcast_{suffix}"] = t => t[0].Lerp(t[1], -0.5);
            ops[$"lerp_tensor_{suffix}"] = t => t[0].Lerp(t[1], t[2]);
            ops[$"lerp_tensor_broadcast_{suffix}"] = t => Tensor.Lerp(t[0], t[1], t[2]);
        }

        ops["lerp_end_dtype"] = t => t[0].Lerp(t[1], 0.5);
        ops["lerp_weight_dtype"] = t => t[0].Lerp(t[1], t[2]);
        ops["lerp_int64"] = t => t[0].Lerp(t[1], 0.5);
        ops["lerp_bad_shapes"] = t => t[0].Lerp(t[1], 0.5);
        return ops;
    }
}
