using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class StepWaits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "waiting_for",
                table: "steps",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "waiting_for",
                table: "steps");
        }
    }
}
