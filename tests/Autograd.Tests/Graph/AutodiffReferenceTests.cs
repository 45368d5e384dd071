using System.Text.Json;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary>
/// Jacobians, Hessians and their products, and a physics-informed residual through <see cref="Autodiff.Grad(Tensor, Tensor, Tensor, bool?, bool, bool?, bool)"/>,
/// against <c>Fixtures/autodiff_cases.json</c> (tools/reference/autodiff_cases.py, PyTorch 1.13, float64).
/// </summary>
public class AutodiffReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("autodiff_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = new()
    {
        ["jacobian_vector_function"] = t => Autodiff.Jacobian(VectorFunction, t[0]),
        ["jacobian_two_inputs"] = t => Cat(Autodiff.Jacobian(p => TwoInputs(p[0], p[1]), [t[0], t[1]])),
        ["hessian_scalar_function"] = t => Autodiff.Hessian(ScalarFunction, t[0]),
        ["hessian_two_inputs"] = t => Cat(Flatten(Autodiff.Hessian(p => TwoInputs(p[0], p[1]).Sum(), [t[0], t[1]]))),
        ["vjp"] = t => Pair(Autodiff.Vjp(VectorFunction, t[0], V(2))),
        ["jvp"] = t => Pair(Autodiff.Jvp(VectorFunction, t[0], V(3))),
        ["vhp"] = t => Pair(Autodiff.Vhp(ScalarFunction, t[0], V(3))),
        ["hvp"] = t => Pair(Autodiff.Hvp(ScalarFunction, t[0], V(3))),
        ["jacobian_create_graph_then_backward"] = t => Autodiff.Jacobian(VectorFunction, t[0], createGraph: true).Sum(0),
        ["pinn_residual"] = t => PinnResidual(t[0], t[1], t[2], t[3]),
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name]);

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    /// <summary>The vectors v the generator used for the products (stored beside the vjp case).</summary>
    private static Tensor V(int n) => ReferenceFixture.ToTensor(s_cases.Value["vjp"].GetProperty("vectors").GetProperty(n == 2 ? "v2" : "v3"));

    private static Tensor At(Tensor x, int i) => x.Select(0, i);

    private static Tensor VectorFunction(Tensor x) =>
        Tensor.Stack([(At(x, 0) * At(x, 1).Sin()) + At(x, 2).Pow(2), (At(x, 0) * At(x, 2)).Exp() - At(x, 1)]);

    private static Tensor ScalarFunction(Tensor x) => (x.Sin() * x.Pow(2)).Sum() + (At(x, 0) * At(x, 1) * At(x, 2));

    private static Tensor TwoInputs(Tensor a, Tensor b) => Tensor.MatMul(b, a).Tanh() * a;

    private static Tensor PinnResidual(Tensor w1, Tensor b1, Tensor w2, Tensor x)
    {
        Tensor xs = x.Detach();
        xs.RequiresGrad = true;
        Tensor u = (((xs.Unsqueeze(1) * w1) + b1).Tanh() * w2).Sum(1);
        Tensor du = Autodiff.Grad(u.Sum(), xs, createGraph: true)!;
        Tensor d2u = Autodiff.Grad(du.Sum(), xs, createGraph: true)!;
        return (d2u + xs.Sin()).Pow(2).Mean();
    }

    private static Tensor Pair((Tensor Output, Tensor Product) result) => Cat([result.Output, result.Product]);

    private static Tensor Cat(Tensor[] parts) => Tensor.Cat([.. parts.Select(p => p.Reshape(-1))]);

    private static Tensor[] Flatten(Tensor[,] blocks)
    {
        var list = new List<Tensor>();
        for (int i = 0; i < blocks.GetLength(0); i++)
        {
            for (int j = 0; j < blocks.GetLength(1); j++)
            {
                list.Add(blocks[i, j]);
            }
        }

        return [.. list];
    }
}
