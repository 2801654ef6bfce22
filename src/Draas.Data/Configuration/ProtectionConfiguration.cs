using Draas.Domain.Protection;
using Draas.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class ProtectionConfiguration : IEntityTypeConfiguration<TenantProtection>
{
    public void Configure(EntityTypeBuilder<TenantProtection> protection)
    {
        protection.ToTable("protections");
        protection.HasKey(p => p.Id);
        protection.Property(p => p.Name).HasMaxLength(64);
        protection.Property(p => p.PrimaryProjectId).HasMaxLength(64);
        protection.Property(p => p.RecoveryProjectId).HasMaxLength(64);
        protection.Property(p => p.DrillSchedule).HasMaxLength(64);
        protection.Property(p => p.WebhookUrl).HasMaxLength(255);
        protection.Property(p => p.WebhookSecretCiphertext).HasMaxLength(1024);
        protection.Property(p => p.NetworkMapping).HasJsonb();
        // A project is enrolled once per primary site.
        protection.HasIndex(p => new { p.PrimarySiteId, p.PrimaryProjectId }).IsUnique();
        protection.HasOne<Site>().WithMany().HasForeignKey(p => p.PrimarySiteId).OnDelete(DeleteBehavior.Restrict);
        protection.HasOne<Site>().WithMany().HasForeignKey(p => p.RecoverySiteId).OnDelete(DeleteBehavior.Restrict);
        protection.Property(p => p.Version).IsRowVersion();
    }
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> plan)
    {
        plan.HasKey(p => p.Id);
        plan.Property(p => p.Name).HasMaxLength(64);
        plan.Property(p => p.Description).HasMaxLength(255);
        plan.Property(p => p.ProjectId).HasMaxLength(64);
        plan.Property(p => p.RunsInProjectId).HasMaxLength(64);
        plan.HasOne<Site>().WithMany().HasForeignKey(p => p.RunsAtSiteId).OnDelete(DeleteBehavior.Restrict);
        plan.Property(p => p.Selector).HasColumnType("jsonb");
        plan.Property(p => p.HealthChecks).HasColumnType("jsonb");
        plan.Property(p => p.Hooks).HasColumnType("jsonb");
        plan.Property(p => p.RecoveryOptions).HasColumnType("jsonb");
        plan.Property(p => p.Canary).HasColumnType("jsonb");
        plan.HasIndex(p => new { p.ProtectionId, p.Name }).IsUnique();
        plan.HasIndex(p => p.ProjectId);
        plan.HasOne<TenantProtection>().WithMany().HasForeignKey(p => p.ProtectionId).OnDelete(DeleteBehavior.Cascade);
        plan.HasMany(p => p.Resources).WithOne().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
        plan.Property(p => p.Version).IsRowVersion();
    }
}

internal sealed class PlanResourceConfiguration : IEntityTypeConfiguration<PlanResource>
{
    public void Configure(EntityTypeBuilder<PlanResource> resource)
    {
        resource.HasKey(r => r.Id);
        resource.Property(r => r.ResourceId).HasMaxLength(64);
        resource.Property(r => r.Name).HasMaxLength(255);
        resource.HasIndex(r => new { r.PlanId, r.Kind, r.ResourceId }).IsUnique();
    }
}

internal sealed class ManifestConfiguration : IEntityTypeConfiguration<Manifest>
{
    public void Configure(EntityTypeBuilder<Manifest> manifest)
    {
        manifest.HasKey(m => m.Id);
        manifest.Property(m => m.ContentHash).HasMaxLength(64).IsFixedLength();
        manifest.Property(m => m.Content).HasColumnType("jsonb");
        manifest.HasIndex(m => new { m.PlanId, m.Sequence }).IsUnique();
        manifest.HasOne<Plan>().WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReplicationGroupConfiguration : IEntityTypeConfiguration<ReplicationGroup>
{
    public void Configure(EntityTypeBuilder<ReplicationGroup> group)
    {
        group.HasKey(g => g.Id);
        group.Property(g => g.Name).HasMaxLength(128);
        group.HasIndex(g => new { g.PlanId, g.SourceArrayId }).IsUnique();
        group.HasOne<Plan>().WithMany().HasForeignKey(g => g.PlanId).OnDelete(DeleteBehavior.Cascade);
        group.HasOne<Draas.Domain.Arrays.StorageArray>().WithMany().HasForeignKey(g => g.SourceArrayId).OnDelete(DeleteBehavior.Restrict);
        group.HasOne<Draas.Domain.Arrays.StorageArray>().WithMany().HasForeignKey(g => g.TargetArrayId).OnDelete(DeleteBehavior.Restrict);
        group.Property(g => g.Version).IsRowVersion();
    }
}
