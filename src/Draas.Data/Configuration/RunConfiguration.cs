using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> run)
    {
        run.HasKey(r => r.Id);
        run.Property(r => r.ProjectId).HasMaxLength(64);
        run.Property(r => r.RecoveryPoint).HasMaxLength(128);
        run.Property(r => r.RequestedBy).HasMaxLength(255);
        run.Property(r => r.RequestId).HasMaxLength(64);
        run.Property(r => r.Options).HasColumnType("jsonb");
        run.Property(r => r.Report).HasColumnType("jsonb");
        run.Property(r => r.Queue).HasMaxLength(32);
        run.Property(r => r.TraceParent).HasMaxLength(64);
        run.Property(r => r.TargetProjectId).HasMaxLength(64);
        run.HasIndex(r => new { r.ProjectId, r.CreatedAt });
        run.HasIndex(r => r.State);
        // Admission counts a site's running imports and boots across its runs.
        run.HasIndex(r => new { r.TargetSiteId, r.State });
        // Runs outlive plan edits; a protection with runs is not deleted silently.
        run.HasOne<TenantProtection>().WithMany().HasForeignKey(r => r.ProtectionId).OnDelete(DeleteBehavior.Restrict);
        run.HasOne<Plan>().WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.SetNull);
        run.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        run.Property(r => r.Version).IsRowVersion();
    }
}

internal sealed class StepConfiguration : IEntityTypeConfiguration<Step>
{
    public void Configure(EntityTypeBuilder<Step> step)
    {
        step.HasKey(s => s.Id);
        step.Property(s => s.Kind).HasMaxLength(64);
        step.Property(s => s.Target).HasMaxLength(255);
        step.Property(s => s.Output).HasColumnType("jsonb");
        step.Property(s => s.Input).HasColumnType("jsonb");
        step.HasIndex(s => new { s.RunId, s.Sequence }).IsUnique();
        // Claiming the next pending step scans this index.
        step.HasIndex(s => new { s.RunId, s.State, s.Phase });
        step.Property(s => s.Version).IsRowVersion();
    }
}
