using System.Text.Json.Nodes;

namespace Draas.OpenStack.Identity;

/// <summary>Builds the body of POST /v3/auth/tokens from the options.</summary>
internal static class AuthRequest
{
    public static JsonObject Build(KeystoneSessionOptions o)
    {
        var identity = new JsonObject();
        if (o.UsesApplicationCredential)
        {
            var credential = new JsonObject { ["secret"] = o.ApplicationCredentialSecret };
            if (o.ApplicationCredentialId is not null) credential["id"] = o.ApplicationCredentialId;
            else
            {
                credential["name"] = o.ApplicationCredentialName;
                credential["user"] = User(o);
            }
            identity["methods"] = new JsonArray("application_credential");
            identity["application_credential"] = credential;
            return new JsonObject { ["auth"] = new JsonObject { ["identity"] = identity } };
        }

        var user = User(o);
        user["password"] = o.Password;
        identity["methods"] = new JsonArray("password");
        identity["password"] = new JsonObject { ["user"] = user };
        var auth = new JsonObject { ["identity"] = identity };
        if (Scope(o) is { } scope) auth["scope"] = scope;
        return new JsonObject { ["auth"] = auth };
    }

    static JsonObject User(KeystoneSessionOptions o) =>
        o.UserId is not null
            ? new JsonObject { ["id"] = o.UserId }
            : new JsonObject { ["name"] = o.Username, ["domain"] = Domain(o.UserDomainId, o.UserDomainName) };

    static JsonObject? Scope(KeystoneSessionOptions o)
    {
        if (o.ProjectId is not null) return new JsonObject { ["project"] = new JsonObject { ["id"] = o.ProjectId } };
        if (o.ProjectName is not null)
            return new JsonObject
            {
                ["project"] = new JsonObject { ["name"] = o.ProjectName, ["domain"] = Domain(o.ProjectDomainId, o.ProjectDomainName) },
            };
        if (o.DomainId is not null || o.DomainName is not null)
            return new JsonObject { ["domain"] = Domain(o.DomainId, o.DomainName) };
        return null; // unscoped, or the user's default project
    }

    static JsonObject Domain(string? id, string? name) =>
        id is not null ? new JsonObject { ["id"] = id } : new JsonObject { ["name"] = name };
}
