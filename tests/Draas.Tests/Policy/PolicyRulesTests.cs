using Draas.Api.Policy;

namespace Draas.Tests.Policy;

[TestFixture]
public sealed class PolicyRulesTests
{
    private static readonly Credentials Admin = new("u1", "admin", "p-admin", "default", ["admin", "member", "reader"]);
    private static readonly Credentials MemberA = new("u2", "alice", "p-a", "default", ["member", "reader"]);
    private static readonly Credentials ReaderA = new("u3", "rita", "p-a", "default", ["reader"]);
    private static readonly Credentials MemberB = new("u4", "bob", "p-b", "default", ["member"]);
    private static readonly Dictionary<string, string?> OwnedByA = new() { ["project_id"] = "p-a" };

    private static readonly PolicyEnforcer Defaults = new(new Dictionary<string, string>());

    [TestCase("draas:plan:create", "admin", true)]
    [TestCase("draas:plan:create", "member-a", true)]
    [TestCase("draas:plan:create", "reader-a", false)]
    [TestCase("draas:plan:create", "member-b", false)]
    [TestCase("draas:plan:get", "reader-a", true)]
    [TestCase("draas:plan:get", "member-b", false)]
    [TestCase("draas:site:list", "member-a", false)]
    [TestCase("draas:run:create:drill", "member-a", true)]
    [TestCase("draas:run:create:failover", "member-a", false)]
    [TestCase("draas:run:create:failover", "admin", true)]
    public void Default_rules_give_admins_everything_members_their_project_and_readers_only_reads(string action, string who, bool allowed)
    {
        var caller = who switch { "admin" => Admin, "member-a" => MemberA, "reader-a" => ReaderA, _ => MemberB };

        Assert.That(Defaults.Allows(action, caller, OwnedByA), Is.EqualTo(allowed));
    }

    [TestCase("@", true)]
    [TestCase("!", false)]
    [TestCase("", true)]
    [TestCase("role:member", true)]
    [TestCase("role:MEMBER", true)]
    [TestCase("role:admin", false)]
    [TestCase("not role:admin", true)]
    [TestCase("role:admin or role:member", true)]
    [TestCase("role:member and role:admin", false)]
    [TestCase("role:admin or role:member and project_id:%(project_id)s", true)]
    [TestCase("(role:admin or role:member) and not project_id:%(project_id)s", false)]
    [TestCase("(role:reader and (project_id:%(project_id)s))", true)]
    [TestCase("user_id:u2", true)]
    [TestCase("user_id:'u3'", false)]
    [TestCase("project_id:%(missing)s", false)]
    [TestCase("rule:admin_required or rule:project_member", true)]
    [TestCase("rule:no_such_rule", false)]
    public void The_rule_language_matches_oslo_policy(string rule, bool expected)
    {
        var policy = new PolicyEnforcer(new Dictionary<string, string> { ["under_test"] = rule });

        Assert.That(policy.Allows("under_test", MemberA, OwnedByA), Is.EqualTo(expected));
    }

    [Test]
    public void An_override_from_policy_yaml_replaces_the_default()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "\"draas:run:create:failover\": \"rule:admin_or_member\"\n# comment\n");
        try
        {
            var policy = PolicyEnforcer.FromFile(path);
            Assert.That(policy.Allows("draas:run:create:failover", MemberA, OwnedByA), Is.True);
            Assert.That(policy.Allows("draas:run:create:failover", MemberB, OwnedByA), Is.False);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_rule_that_refers_to_itself_fails_closed()
    {
        var policy = new PolicyEnforcer(new Dictionary<string, string> { ["loop"] = "rule:loop or rule:loop" });

        Assert.That(policy.Allows("loop", Admin), Is.False);
    }

    [TestCase("role:admin or")]
    [TestCase("(role:admin")]
    [TestCase("role")]
    [TestCase("role:admin )")]
    public void A_malformed_rule_is_refused_when_loaded(string rule) =>
        Assert.Throws<PolicyParseException>(() => new PolicyEnforcer(new Dictionary<string, string> { ["bad"] = rule }));
}
