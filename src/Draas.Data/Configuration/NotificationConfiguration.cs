using Draas.Domain.Notifications;
using Draas.Domain.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> n)
    {
        n.ToTable("notifications");
        n.HasKey(x => x.Id);
        n.Property(x => x.Id).UseIdentityAlwaysColumn();
        n.Property(x => x.EventKey).HasMaxLength(128);
        n.Property(x => x.Event).HasMaxLength(64);
        n.Property(x => x.Recipient).HasMaxLength(255);
        n.Property(x => x.ProjectId).HasMaxLength(64);
        n.Property(x => x.ResourceType).HasMaxLength(32);
        n.Property(x => x.ResourceId).HasMaxLength(64);
        n.Property(x => x.Payload).HasColumnType("jsonb");
        n.Property(x => x.LastError).HasMaxLength(1024);
        // Once per event, channel and recipient: a second write of the same event is a no-op (ON CONFLICT).
        n.HasIndex(x => new { x.EventKey, x.Channel, x.Recipient }).IsUnique();
        n.HasIndex(x => new { x.State, x.NextAttemptAt });
        n.HasIndex(x => new { x.ProjectId, x.Id });
    }
}

internal sealed class LagSampleConfiguration : IEntityTypeConfiguration<LagSample>
{
    public void Configure(EntityTypeBuilder<LagSample> s)
    {
        s.ToTable("lag_samples");
        s.HasKey(x => x.Id);
        s.Property(x => x.Id).UseIdentityAlwaysColumn();
        s.HasIndex(x => new { x.PlanId, x.At });
        s.HasIndex(x => x.At);
    }
}
