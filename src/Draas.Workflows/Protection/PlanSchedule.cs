using System.Security.Cryptography;
using Draas.Domain.Protection;
using Hangfire;

namespace Draas.Workflows.Protection;

/// <summary>
/// Every plan's protection cycle is a Hangfire recurring job whose minute is spread by the plan's id,
/// so a thousand plans with the same interval do not all reach the clouds and arrays in the same minute.
/// </summary>
public static class PlanSchedule
{
    public static string JobId(Guid planId) => $"plan-protect:{planId:N}";

    /// <summary>A cron expression running every interval (rounded to whole minutes), offset by the plan's id.</summary>
    public static string CronFor(Guid planId, int intervalSeconds)
    {
        var minutes = Math.Clamp((intervalSeconds + 59) / 60, 1, 24 * 60);
        var spread = BitConverter.ToUInt32(SHA256.HashData(planId.ToByteArray()), 0);
        if (minutes < 60)
        {
            // Only divisors of 60 keep the spacing even across the hour.
            var step = Enumerable.Range(1, minutes).Last(d => 60 % d == 0);
            return step == 1 ? "* * * * *" : $"{spread % step}-59/{step} * * * *";
        }
        var hours = Enumerable.Range(1, Math.Min(minutes / 60, 24)).Last(d => 24 % d == 0);
        // Cron's hour step stops at 23: a daily plan runs once a day at its own hour.
        var hour = hours switch { 1 => "*", 24 => $"{spread / 60 % 24}", _ => $"{spread / 60 % hours}-23/{hours}" };
        return $"{spread % 60} {hour} * * *";
    }

    public static void Register(IRecurringJobManager jobs, Plan plan) =>
        jobs.AddOrUpdate<ProtectPlanJob>(JobId(plan.Id), "default", job => job.RunAsync(plan.Id, CancellationToken.None), CronFor(plan.Id, plan.ReplicationIntervalSeconds));

    public static void Remove(IRecurringJobManager jobs, Guid planId) => jobs.RemoveIfExists(JobId(planId));
}
