namespace Draas.Api.Policy;

/// <summary>
/// Parses oslo.policy's rule language: <c>@</c>, <c>!</c>, <c>rule:x</c>, <c>role:x</c>, <c>key:value</c>,
/// <c>and</c>, <c>or</c>, <c>not</c> and parentheses, with <c>not</c> binding tighter than <c>and</c>,
/// and <c>and</c> tighter than <c>or</c>. An empty rule always passes, as in oslo.policy.
/// </summary>
public static class PolicyParser
{
    public static PolicyRule Parse(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0) return new AlwaysRule(true);
        var position = 0;
        var rule = ParseOr(tokens, ref position);
        if (position != tokens.Count) throw new PolicyParseException(text, $"unexpected '{tokens[position]}'");
        return rule;
    }

    private static PolicyRule ParseOr(List<string> tokens, ref int position)
    {
        var rules = new List<PolicyRule> { ParseAnd(tokens, ref position) };
        while (position < tokens.Count && tokens[position] == "or")
        {
            position++;
            rules.Add(ParseAnd(tokens, ref position));
        }
        return rules.Count == 1 ? rules[0] : new OrRule(rules);
    }

    private static PolicyRule ParseAnd(List<string> tokens, ref int position)
    {
        var rules = new List<PolicyRule> { ParseNot(tokens, ref position) };
        while (position < tokens.Count && tokens[position] == "and")
        {
            position++;
            rules.Add(ParseNot(tokens, ref position));
        }
        return rules.Count == 1 ? rules[0] : new AndRule(rules);
    }

    private static PolicyRule ParseNot(List<string> tokens, ref int position)
    {
        if (position >= tokens.Count) throw new PolicyParseException(string.Join(' ', tokens), "rule ends too early");
        var token = tokens[position++];
        switch (token)
        {
            case "not":
                return new NotRule(ParseNot(tokens, ref position));
            case "(":
                var inner = ParseOr(tokens, ref position);
                if (position >= tokens.Count || tokens[position] != ")")
                    throw new PolicyParseException(string.Join(' ', tokens), "missing ')'");
                position++;
                return inner;
            default:
                return ParseCheck(token);
        }
    }

    private static PolicyRule ParseCheck(string token)
    {
        if (token == "@") return new AlwaysRule(true);
        if (token == "!") return new AlwaysRule(false);
        var colon = token.IndexOf(':');
        if (colon <= 0 || colon == token.Length - 1) throw new PolicyParseException(token, "a check is kind:value");
        var (kind, value) = (token[..colon], token[(colon + 1)..]);
        return kind switch
        {
            "rule" => new NamedRule(value),
            "role" => new RoleRule(value),
            _ => new GenericRule(kind, value),
        };
    }

    /// <summary>Splits on whitespace and peels leading '(' and trailing ')' off tokens, like oslo.policy.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw;
            while (token.StartsWith('('))
            {
                tokens.Add("(");
                token = token[1..];
            }
            var closing = 0;
            // "%(project_id)s)" holds one balanced pair, so only the unbalanced closing parenthesis is peeled.
            while (token.EndsWith(')') && Unbalanced(token))
            {
                closing++;
                token = token[..^1];
            }
            if (token.Length > 0) tokens.Add(token.ToLowerInvariant() is "and" or "or" or "not" ? token.ToLowerInvariant() : token);
            for (var i = 0; i < closing; i++) tokens.Add(")");
        }
        return tokens;
    }

    private static bool Unbalanced(string token) => token.Count(c => c == ')') > token.Count(c => c == '(');
}

public sealed class PolicyParseException(string rule, string reason) : Exception($"cannot parse policy rule '{rule}': {reason}");
