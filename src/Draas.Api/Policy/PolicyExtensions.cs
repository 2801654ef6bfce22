using Draas.Api.Auth;
using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Policy;

public static class PolicyExtensions
{
    /// <summary>Throws 403 unless the caller may perform the named action on the target.</summary>
    public static void Enforce(this PolicyEnforcer policy, HttpContext context, string action, IReadOnlyDictionary<string, string?>? target = null)
    {
        if (!policy.Allows(action, context.Caller().Credentials, target)) throw ApiException.Forbidden(action);
    }
}
