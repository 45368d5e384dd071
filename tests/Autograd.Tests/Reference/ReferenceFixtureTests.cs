using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Reference;

/// <summary>
/// The shared replayer against <c>Fixtures/refcases_selftest.json</c> (tools/reference/refcases_selftest.py): every
/// kind of case the schema holds replays, and a wrong value, dtype or message is caught.
/// </summary>
public class ReferenceFixtureTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("refcases_selftest.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = new()
    {
        ["sin_float64_second_order"] = t => t[0].Sin(),
        ["nonzero_int64_output"] = t => (t[0] > 0).NonZero(),
        ["mul_by_constant_linear"] = t => t[0] * t[1],
        ["gt_bool_output"] = t => t[0] > t[1],
        ["int64_input_promotes"] = t => t[0] * t[1],
        ["nan_and_inf_survive"] = t => t[0] / Tensor.From([0f, 1f, 0f]),
        ["sum_dim_out_of_range"] = t => t[0].Sum(5),
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name]);

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    [Fact]
    public void AWrongSecondDerivativeIsCaught()
    {
        // sin's value and first derivative (cos) are right here, but the graph of the first derivative is cut, so the
        // second-order gradient is missing: the replay must fail.
        FluentActions.Invoking(() => ReferenceFixture.Replay("sin", s_cases.Value["sin_float64_second_order"], t => new SinWithConstantGradient(t[0]).Output))
            .Should().Throw<Exception>();
    }

    [Fact]
    public void AFloat32RoundTripInAFloat64ResultIsCaught() =>
        FluentActions.Invoking(() => ReferenceFixture.Replay("sin", s_cases.Value["sin_float64_second_order"], t => t[0].Float().Sin().Double()))
            .Should().Throw<Exception>();

    [Fact]
    public void AWrongMessageIsCaught() =>
        FluentActions.Invoking(() => ReferenceFixture.Replay("sum", s_cases.Value["sum_dim_out_of_range"], _ => throw new ArgumentException("something else")))
            .Should().Throw<Exception>();

    /// <summary>sin(x) whose backward is cos(x) computed without recording: right first order, no second order.</summary>
    private sealed class SinWithConstantGradient(Tensor x)
    {
        public Tensor Output { get; } = x.Sin() + ((x - x.Detach()) * Tensor.Cos(x.Detach())) - (x.Sin() - x.Sin().Detach());
    }
}
