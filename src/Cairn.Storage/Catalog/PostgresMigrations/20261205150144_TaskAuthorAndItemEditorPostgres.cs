using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Storage.Catalog.PostgresMigrations
{
    /// <inheritdoc />
    public partial class TaskAuthorAndItemEditorPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "author",
                table: "tasks",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "editedby",
                table: "items",
                type: "text",
                nullable: true,
                collation: "C");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "author",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "editedby",
                table: "items");
        }
    }
}
