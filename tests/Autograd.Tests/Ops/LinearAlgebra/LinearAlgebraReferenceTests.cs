using System.Text.Json;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.LinearAlgebra;

/// <summary>
/// outer, mm, mv, bmm, addmm, baddbmm, tril, triu, diag, trace, kron and einsum against PyTorch 1.13
/// (<c>Fixtures/linalg_cases.json</c>, written by <c>tools/reference/linalg_cases.py</c>): values, gradients,
/// second-order gradients, dtypes, edge values and PyTorch's error messages. A case is named "&lt;op&gt;:&lt;variant&gt;";
/// for einsum the op is the equation.
/// </summary>
public class LinearAlgebraReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("linalg_cases.json"));

    private static readonly string[] Equations =
    [
        "bij,bjk->bik", "bhqd,bhkd->bhqk", "bhqk,bhkd->bhqd", "ij->ji", "ii->", "ii->i", "i,j->ij", "ij,ij->", "ij,ij->ij",
        "bij->bji", "ijk,jk->i", "ijk,kj->i", "ij,jk", "ba", "ij,jk,kl->il", "i,i->", "i,i->i", "ij->", "ij->j", "iij->ij",
        "iji->j", "...ij,...jk->...ik", "...ij,...jk", "...ij->...ji", "...ij->ij", "i...->...", "ij...,jk...->ik...", "Ba,a",
        "bn,anm,bm->ba", "i j , j k -> i k", ",->", "i", "ij->...ij", "bqhd,bkhd->bhqk", "ij,jk->ik", "ijk->i", "ij->ij",
        "i1,jk->ik", "ij-ji", "ij,jk->ii", "ij,jk->iz", "ij,jk->i1", "...i...->i", "..ij->ij", "ij->.", "...ijk->i",
    ];

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], Ops[OpOf(name)]);

    [Fact]
    public void EveryOpHasCasesAndEveryCaseAnOp() =>
        Ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys.Select(OpOf).Distinct());

    private static string OpOf(string name) => name[..name.LastIndexOf(':')];

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>
        {
            ["outer"] = t => Tensor.Outer(t[0], t[1]),
            ["outer_method"] = t => t[0].Outer(t[1]),
            ["mm"] = t => Tensor.Mm(t[0], t[1]),
            ["mm_method"] = t => t[0].Mm(t[1]),
            ["mv"] = t => Tensor.Mv(t[0], t[1]),
            ["mv_method"] = t => t[0].Mv(t[1]),
            ["bmm"] = t => Tensor.Bmm(t[0], t[1]),
            ["bmm_method"] = t => t[0].Bmm(t[1]),
            ["addmm"] = t => Tensor.Addmm(t[0], t[1], t[2]),
            ["addmm_b0.5_a2"] = t => Tensor.Addmm(t[0], t[1], t[2], beta: 0.5, alpha: 2),
            ["addmm_b0_a-1"] = t => Tensor.Addmm(t[0], t[1], t[2], beta: 0, alpha: -1),
            ["addmm_method_b2"] = t => t[0].Addmm(t[1], t[2], beta: 2),
            ["baddbmm"] = t => Tensor.Baddbmm(t[0], t[1], t[2]),
            ["baddbmm_b0.5_a2"] = t => Tensor.Baddbmm(t[0], t[1], t[2], beta: 0.5, alpha: 2),
            ["baddbmm_b0_a-1"] = t => Tensor.Baddbmm(t[0], t[1], t[2], beta: 0, alpha: -1),
            ["baddbmm_method_a3"] = t => t[0].Baddbmm(t[1], t[2], alpha: 3),
            ["tril_method_-1"] = t => t[0].Tril(-1),
            ["triu_method_-1"] = t => t[0].Triu(-1),
            ["diag_4"] = t => Tensor.Diag(t[0], 4),
            ["diag_method_1"] = t => t[0].Diag(1),
            ["trace"] = t => Tensor.Trace(t[0]),
            ["trace_method"] = t => t[0].Trace(),
            ["kron"] = t => Tensor.Kron(t[0], t[1]),
            ["kron_method"] = t => t[0].Kron(t[1]),
            ["bmm_t"] = t => Tensor.Bmm(t[0].Transpose(1, 2), t[1]),
        };
        foreach (int k in new[] { 0, 1, -1, 3, -4 })
        {
            ops[$"tril_{k}"] = t => Tensor.Tril(t[0], k);
            ops[$"triu_{k}"] = t => Tensor.Triu(t[0], k);
        }

        foreach (int k in new[] { 0, 1, 2, -1, -3 })
        {
            ops[$"diag_{k}"] = t => Tensor.Diag(t[0], k);
        }

        foreach (string equation in Equations)
        {
            ops[equation] = t => Tensor.Einsum(equation, t);
        }

        return ops;
    }
}
