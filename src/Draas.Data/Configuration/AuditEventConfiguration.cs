using Draas.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.HasKey(a => a.Id);
        audit.Property(a => a.Id).UseIdentityAlwaysColumn();
        audit.Property(a => a.RequestId).HasMaxLength(64);
        audit.Property(a => a.UserId).HasMaxLength(64);
        audit.Property(a => a.UserName).HasMaxLength(255);
        audit.Property(a => a.ActorProjectId).HasMaxLength(64);
        audit.Property(a => a.ProjectId).HasMaxLength(64);
        audit.Property(a => a.Action).HasMaxLength(64);
        audit.Property(a => a.ResourceType).HasMaxLength(32);
        audit.Property(a => a.ResourceId).HasMaxLength(64);
        audit.Property(a => a.Outcome).HasMaxLength(16);
        audit.Property(a => a.Detail).HasColumnType("jsonb");
        audit.HasIndex(a => a.At);
        audit.HasIndex(a => new { a.ProjectId, a.At });
    }
}
