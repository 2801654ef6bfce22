using Draas.Domain.Arrays;
using Draas.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class StorageArrayConfiguration : IEntityTypeConfiguration<StorageArray>
{
    public void Configure(EntityTypeBuilder<StorageArray> array)
    {
        array.ToTable("arrays");
        array.HasKey(a => a.Id);
        array.HasIndex(a => a.Name).IsUnique();
        array.Property(a => a.Name).HasMaxLength(64);
        array.Property(a => a.Plugin).HasMaxLength(32);
        array.Property(a => a.Endpoint).HasMaxLength(255);
        array.Property(a => a.CinderBackend).HasMaxLength(255);
        array.Property(a => a.MaxConcurrentCopies).HasDefaultValue(Site.DefaultMaxConcurrent);
        array.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Restrict);
        array.HasOne<StorageArray>().WithMany().HasForeignKey(a => a.PeerArrayId).OnDelete(DeleteBehavior.SetNull);
        array.Property(a => a.Version).IsRowVersion();
    }
}
