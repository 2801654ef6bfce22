using Draas.Domain.Arrays;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Draas.Data;

/// <summary>The service's whole state: every service instance shares it, nothing lives outside it.</summary>
public sealed class DraasDbContext(DbContextOptions<DraasDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<StorageArray> Arrays => Set<StorageArray>();
    public DbSet<TenantProtection> Protections => Set<TenantProtection>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<ProjectMapping> ProjectMappings => Set<ProjectMapping>();
    public DbSet<PlanResource> PlanResources => Set<PlanResource>();
    public DbSet<Manifest> Manifests => Set<Manifest>();
    public DbSet<ReplicationGroup> ReplicationGroups => Set<ReplicationGroup>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<Step> Steps => Set<Step>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Draas.Domain.Notifications.Notification> Notifications => Set<Draas.Domain.Notifications.Notification>();
    public DbSet<LagSample> LagSamples => Set<LagSample>();

    /// <summary>ASP.NET Core Data Protection keys: secrets stay decryptable on every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DraasDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Enums are stored as the same snake_case words the API speaks ("planned_migration").
        foreach (var type in typeof(Run).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace?.StartsWith("Draas.Domain") == true))
        {
            builder.Properties(type).HaveConversion(typeof(SnakeCaseEnumConverter<>).MakeGenericType(type)).HaveMaxLength(32);
        }
    }

    /// <summary>The audit log is append-only; the database enforces it too (a trigger).</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditLog();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditLog();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void GuardAuditLog()
    {
        if (ChangeTracker.Entries<AuditEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("the audit log is append-only");
    }
}
