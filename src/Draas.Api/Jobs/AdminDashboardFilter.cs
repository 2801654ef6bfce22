using Draas.Api.Auth;
using Draas.Api.Policy;
using Hangfire.Dashboard;

namespace Draas.Api.Jobs;

/// <summary>The Hangfire dashboard shows every tenant's jobs, so only cloud admins see it.</summary>
public sealed class AdminDashboardFilter(PolicyEnforcer policy) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var caller = context.GetHttpContext().Features.Get<Caller>();
        return caller is not null && policy.Allows("draas:dashboard", caller.Credentials);
    }
}
