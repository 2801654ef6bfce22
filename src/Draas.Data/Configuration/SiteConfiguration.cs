using Draas.Domain.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draas.Data.Configuration;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> site)
    {
        site.HasKey(s => s.Id);
        site.HasIndex(s => s.Name).IsUnique();
        site.Property(s => s.Name).HasMaxLength(64);
        site.Property(s => s.Description).HasMaxLength(255);
        site.Property(s => s.AuthUrl).HasMaxLength(255);
        site.Property(s => s.ProbeUrl).HasMaxLength(255);
        site.Property(s => s.RegionName).HasMaxLength(64);
        site.Property(s => s.Interface).HasMaxLength(16);
        site.Property(s => s.Username).HasMaxLength(255);
        site.Property(s => s.UserDomainName).HasMaxLength(64);
        site.Property(s => s.ProjectName).HasMaxLength(64);
        site.Property(s => s.ProjectDomainName).HasMaxLength(64);
        site.Property(s => s.ApplicationCredentialId).HasMaxLength(64);
        site.Property(s => s.LastCheck).HasJsonb();
        site.Property(s => s.MaxConcurrentImports).HasDefaultValue(Site.DefaultMaxConcurrent);
        site.Property(s => s.MaxConcurrentBoots).HasDefaultValue(Site.DefaultMaxConcurrent);
        site.Property(s => s.Version).IsRowVersion();
    }
}
