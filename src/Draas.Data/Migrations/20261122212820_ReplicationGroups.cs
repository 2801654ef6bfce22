using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReplicationGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "replication_groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_array_id = table.Column<Guid>(type: "uuid", nullable: false),
                    target_array_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    members = table.Column<List<string>>(type: "text[]", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_replication_groups", x => x.id);
                    table.ForeignKey(
                        name: "fk_replication_groups_arrays_source_array_id",
                        column: x => x.source_array_id,
                        principalTable: "arrays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_replication_groups_arrays_target_array_id",
                        column: x => x.target_array_id,
                        principalTable: "arrays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_replication_groups_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_replication_groups_plan_id_source_array_id",
                table: "replication_groups",
                columns: new[] { "plan_id", "source_array_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_replication_groups_source_array_id",
                table: "replication_groups",
                column: "source_array_id");

            migrationBuilder.CreateIndex(
                name: "ix_replication_groups_target_array_id",
                table: "replication_groups",
                column: "target_array_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "replication_groups");
        }
    }
}
