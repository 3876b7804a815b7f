using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Storage.Catalog.Migrations
{
    /// <inheritdoc />
    public partial class TaskAuthorAndItemEditor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Author",
                table: "tasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EditedBy",
                table: "items",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Author",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "EditedBy",
                table: "items");
        }
    }
}
