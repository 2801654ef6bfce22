using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanRecoveryOptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "recovery_options",
                table: "plans",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "recovery_options",
                table: "plans");
        }
    }
}
