using YamlDotNet.Serialization;

namespace Draas.Api.Policy;

/// <summary>Evaluates named policies: defaults from code, overridden by the operator's policy.yaml.</summary>
public sealed class PolicyEnforcer
{
    private readonly IReadOnlyDictionary<string, PolicyRule> _rules;

    public PolicyEnforcer(IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new Dictionary<string, string>(DefaultPolicies.Rules);
        foreach (var (name, rule) in overrides) merged[name] = rule;
        _rules = merged.ToDictionary(kv => kv.Key, kv => PolicyParser.Parse(kv.Value));
    }

    /// <summary>Reads policy.yaml (a map of rule name to rule); a missing file means the defaults.</summary>
    public static PolicyEnforcer FromFile(string path)
    {
        if (!File.Exists(path)) return new PolicyEnforcer(new Dictionary<string, string>());
        var yaml = File.ReadAllText(path);
        var parsed = new DeserializerBuilder().Build().Deserialize<Dictionary<string, string?>>(yaml) ?? [];
        return new PolicyEnforcer(parsed.ToDictionary(kv => kv.Key, kv => kv.Value ?? ""));
    }

    public bool IsKnown(string name) => _rules.ContainsKey(name);

    public bool Allows(string name, Credentials caller, IReadOnlyDictionary<string, string?>? target = null)
    {
        if (!_rules.ContainsKey(name)) throw new InvalidOperationException($"no policy named {name}");
        return new PolicyContext(caller, target ?? new Dictionary<string, string?>(), _rules).EvaluateNamed(name);
    }
}
