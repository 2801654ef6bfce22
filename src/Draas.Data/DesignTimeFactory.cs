using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Draas.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DraasDbContext>
{
    public DraasDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<DraasDbContext>();
        builder.UseDraasPostgres("Host=127.0.0.1;Database=draas_design");
        return new DraasDbContext(builder.Options);
    }
}
