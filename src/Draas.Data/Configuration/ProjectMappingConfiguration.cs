using Draas.Domain.Protection;
using Draas.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class ProjectMappingConfiguration : IEntityTypeConfiguration<ProjectMapping>
{
    public void Configure(EntityTypeBuilder<ProjectMapping> mapping)
    {
        mapping.ToTable("project_mappings");
        mapping.HasKey(m => m.Id);
        mapping.Property(m => m.PrimaryProjectId).HasMaxLength(64);
        mapping.Property(m => m.RecoveryProjectId).HasMaxLength(64);
        mapping.Property(m => m.Description).HasMaxLength(255);
        mapping.Property(m => m.CreatedBy).HasMaxLength(255);
        // A recovery project belongs to one tenant; a tenant has one recovery project per recovery site.
        mapping.HasIndex(m => new { m.RecoverySiteId, m.RecoveryProjectId }).IsUnique();
        mapping.HasIndex(m => new { m.PrimarySiteId, m.PrimaryProjectId, m.RecoverySiteId }).IsUnique();
        mapping.HasOne<Site>().WithMany().HasForeignKey(m => m.PrimarySiteId).OnDelete(DeleteBehavior.Restrict);
        mapping.HasOne<Site>().WithMany().HasForeignKey(m => m.RecoverySiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
