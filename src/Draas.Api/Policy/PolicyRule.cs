namespace Draas.Api.Policy;

/// <summary>A parsed oslo.policy rule: checks combined with and/or/not.</summary>
public abstract record PolicyRule
{
    public abstract bool Evaluate(PolicyContext context);
}

public sealed record AlwaysRule(bool Result) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) => Result;
}

public sealed record AndRule(IReadOnlyList<PolicyRule> Rules) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) => Rules.All(r => r.Evaluate(context));
}

public sealed record OrRule(IReadOnlyList<PolicyRule> Rules) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) => Rules.Any(r => r.Evaluate(context));
}

public sealed record NotRule(PolicyRule Rule) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) => !Rule.Evaluate(context);
}

/// <summary><c>rule:name</c>: another named rule; an unknown name never passes.</summary>
public sealed record NamedRule(string Name) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) => context.EvaluateNamed(Name);
}

/// <summary><c>role:admin</c>: the caller holds the role (case-insensitive, as Keystone role names are).</summary>
public sealed record RoleRule(string Role) : PolicyRule
{
    public override bool Evaluate(PolicyContext context) =>
        context.Credentials.Roles.Any(r => string.Equals(r, Role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// <c>project_id:%(project_id)s</c> or <c>user_id:abc</c>: a credential attribute equals a target
/// attribute (when the right side is <c>%(name)s</c>) or a literal.
/// </summary>
public sealed record GenericRule(string CredentialKey, string Match) : PolicyRule
{
    public override bool Evaluate(PolicyContext context)
    {
        var actual = context.Credentials.Get(CredentialKey);
        if (actual is null) return false;
        string? expected;
        if (Match.StartsWith("%(", StringComparison.Ordinal) && Match.EndsWith(")s", StringComparison.Ordinal))
        {
            context.Target.TryGetValue(Match[2..^2], out expected);
        }
        else
        {
            expected = Match.Trim('\'', '"');
        }
        return expected is not null && string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
    }
}
