using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class Runs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "always",
                table: "steps",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<List<int>>(
                name: "depends_on",
                table: "steps",
                type: "integer[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "input",
                table: "steps",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_until",
                table: "steps",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "not_before",
                table: "steps",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "probe_url",
                table: "sites",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "manifest_id",
                table: "runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "queue",
                table: "runs",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "recovery_point_at",
                table: "runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "target_project_id",
                table: "runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "reversed",
                table: "protections",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "always",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "depends_on",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "input",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "lease_until",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "not_before",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "probe_url",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "manifest_id",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "queue",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "recovery_point_at",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "target_project_id",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "reversed",
                table: "protections");
        }
    }
}
