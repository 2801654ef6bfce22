using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteCapacity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_concurrent_boots",
                table: "sites",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "max_concurrent_imports",
                table: "sites",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<Guid>(
                name: "target_site_id",
                table: "runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_runs_target_site_id_state",
                table: "runs",
                columns: new[] { "target_site_id", "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_runs_target_site_id_state",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "max_concurrent_boots",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "max_concurrent_imports",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "target_site_id",
                table: "runs");
        }
    }
}
