using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReplicationStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "checked_at",
                table: "replication_groups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "health",
                table: "replication_groups",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "lag_seconds",
                table: "replication_groups",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "latest_recovery_point_at",
                table: "replication_groups",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "checked_at",
                table: "replication_groups");

            migrationBuilder.DropColumn(
                name: "health",
                table: "replication_groups");

            migrationBuilder.DropColumn(
                name: "lag_seconds",
                table: "replication_groups");

            migrationBuilder.DropColumn(
                name: "latest_recovery_point_at",
                table: "replication_groups");
        }
    }
}
