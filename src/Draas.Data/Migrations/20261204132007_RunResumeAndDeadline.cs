using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunResumeAndDeadline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deadline_from",
                table: "runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "resumes",
                table: "runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "deadline_from",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "resumes",
                table: "runs");
        }
    }
}
