using Xunit;

namespace Autograd.Tests;

/// <summary>Turns a fixture's cases into xunit theory data, one case name per test, so each case shows up by name.</summary>
internal static class FixtureNames
{
    internal static TheoryData<string> Of<TCase>(IReadOnlyDictionary<string, TCase> cases)
    {
        var names = new TheoryData<string>();
        foreach (string name in cases.Keys)
        {
            names.Add(name);
        }

        return names;
    }
}
