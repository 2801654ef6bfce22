using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanStateAndProjectMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "failed_over",
                table: "plans",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "runs_at_site_id",
                table: "plans",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "runs_in_project_id",
                table: "plans",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "state_run_id",
                table: "plans",
                type: "uuid",
                nullable: true);

            // The protection's state becomes each of its plans' (they all moved together until now): a plan
            // runs at the recovery site when it was reversed or failed over, but not both (a reversed plan
            // failed over again runs at the primary).
            migrationBuilder.Sql("""
                UPDATE plans p SET
                  failed_over = (pr.status = 'failed_over'),
                  runs_at_site_id = CASE WHEN pr.reversed <> (pr.status = 'failed_over') THEN pr.recovery_site_id ELSE pr.primary_site_id END,
                  runs_in_project_id = CASE WHEN pr.reversed <> (pr.status = 'failed_over')
                    THEN COALESCE(pr.recovery_project_id, p.project_id) ELSE pr.primary_project_id END
                FROM protections pr WHERE pr.id = p.protection_id;
                UPDATE protections SET status = 'active' WHERE status = 'failed_over';
                """);

            migrationBuilder.AlterColumn<Guid>(
                name: "runs_at_site_id",
                table: "plans",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.DropColumn(
                name: "reversed",
                table: "protections");

            migrationBuilder.CreateTable(
                name: "project_mappings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    primary_site_id = table.Column<Guid>(type: "uuid", nullable: false),
                    primary_project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    recovery_site_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recovery_project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_mappings", x => x.id);
                    table.ForeignKey(
                        name: "fk_project_mappings_sites_primary_site_id",
                        column: x => x.primary_site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_project_mappings_sites_recovery_site_id",
                        column: x => x.recovery_site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_project_mappings_primary_site_id_primary_project_id_recover",
                table: "project_mappings",
                columns: new[] { "primary_site_id", "primary_project_id", "recovery_site_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_project_mappings_recovery_site_id_recovery_project_id",
                table: "project_mappings",
                columns: new[] { "recovery_site_id", "recovery_project_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plans_runs_at_site_id",
                table: "plans",
                column: "runs_at_site_id");

            migrationBuilder.AddForeignKey(
                name: "fk_plans_sites_runs_at_site_id",
                table: "plans",
                column: "runs_at_site_id",
                principalTable: "sites",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_plans_sites_runs_at_site_id",
                table: "plans");

            migrationBuilder.DropTable(
                name: "project_mappings");

            migrationBuilder.DropIndex(
                name: "ix_plans_runs_at_site_id",
                table: "plans");

            migrationBuilder.AddColumn<bool>(
                name: "reversed",
                table: "protections",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Back to one state per protection: plans that moved on their own merge (any failed-over plan marks it failed over).
            migrationBuilder.Sql("""
                UPDATE protections pr SET
                  status = CASE WHEN EXISTS (SELECT 1 FROM plans p WHERE p.protection_id = pr.id AND p.failed_over) THEN 'failed_over' ELSE pr.status END,
                  reversed = EXISTS (SELECT 1 FROM plans p WHERE p.protection_id = pr.id AND (p.runs_at_site_id = pr.primary_site_id) = p.failed_over);
                """);

            migrationBuilder.DropColumn(
                name: "failed_over",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "runs_at_site_id",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "runs_in_project_id",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "state_run_id",
                table: "plans");

        }
    }
}
