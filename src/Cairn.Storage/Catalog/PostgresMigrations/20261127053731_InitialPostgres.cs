using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cairn.Storage.Catalog.PostgresMigrations
{
    /// <inheritdoc />
    public partial class InitialPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    projectid = table.Column<long>(type: "bigint", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "evaluations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspaceid = table.Column<long>(type: "bigint", nullable: false),
                    modelid = table.Column<long>(type: "bigint", nullable: true),
                    versionid = table.Column<long>(type: "bigint", nullable: true),
                    taskid = table.Column<long>(type: "bigint", nullable: true),
                    title = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ioutype = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    mapall = table.Column<double>(type: "double precision", nullable: false),
                    map50 = table.Column<double>(type: "double precision", nullable: false),
                    groundtruthfingerprint = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    metricsjson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    reportfileid = table.Column<long>(type: "bigint", nullable: true),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_evaluations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "files",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspaceid = table.Column<long>(type: "bigint", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    contentid = table.Column<byte[]>(type: "bytea", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    taskid = table.Column<long>(type: "bigint", nullable: true),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_files", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    projectid = table.Column<long>(type: "bigint", nullable: false),
                    datasetid = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    imageid = table.Column<byte[]>(type: "bytea", nullable: false),
                    imagesize = table.Column<long>(type: "bigint", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    annotationid = table.Column<byte[]>(type: "bytea", nullable: false),
                    annotationjson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    labelcount = table.Column<int>(type: "integer", nullable: false),
                    classlist = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    changeseq = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "models",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspaceid = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    fileid = table.Column<byte[]>(type: "bytea", nullable: false),
                    filesize = table.Column<long>(type: "bigint", nullable: false),
                    classesjson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    inputsize = table.Column<int>(type: "integer", nullable: false),
                    layout = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    infojson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    taskid = table.Column<long>(type: "bigint", nullable: true),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_models", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspaceid = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    metajson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    changeseq = table.Column<long>(type: "bigint", nullable: false),
                    originversionid = table.Column<long>(type: "bigint", nullable: true),
                    createdbytaskid = table.Column<long>(type: "bigint", nullable: true),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updatedat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removed_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    projectid = table.Column<long>(type: "bigint", nullable: false),
                    datasetpath = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    changeseq = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removed_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "task_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    taskid = table.Column<long>(type: "bigint", nullable: false),
                    time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    message = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_task_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "task_relations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    taskid = table.Column<long>(type: "bigint", nullable: false),
                    direction = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    nodekind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    refid = table.Column<long>(type: "bigint", nullable: true),
                    refpath = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    title = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_task_relations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspaceid = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    title = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    parametersjson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    progress = table.Column<double>(type: "double precision", nullable: false),
                    progressmessage = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    error = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    resultjson = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    nodejson = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    jobid = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    cancelrequested = table.Column<bool>(type: "boolean", nullable: false),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    startedat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    endedat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    heartbeatat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tasks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    projectid = table.Column<long>(type: "bigint", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    author = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    rootid = table.Column<byte[]>(type: "bytea", nullable: false),
                    changeseq = table.Column<long>(type: "bigint", nullable: false),
                    itemcount = table.Column<long>(type: "bigint", nullable: false),
                    labelcount = table.Column<long>(type: "bigint", nullable: false),
                    totalbytes = table.Column<long>(type: "bigint", nullable: false),
                    newbytes = table.Column<long>(type: "bigint", nullable: false),
                    statsjson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    createdbytaskid = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    createdat = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_datasets_projectid_path",
                table: "datasets",
                columns: new[] { "projectid", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_evaluations_modelid",
                table: "evaluations",
                column: "modelid");

            migrationBuilder.CreateIndex(
                name: "IX_evaluations_versionid",
                table: "evaluations",
                column: "versionid");

            migrationBuilder.CreateIndex(
                name: "IX_files_taskid",
                table: "files",
                column: "taskid");

            migrationBuilder.CreateIndex(
                name: "IX_files_workspaceid_path",
                table: "files",
                columns: new[] { "workspaceid", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_items_projectid_changeseq",
                table: "items",
                columns: new[] { "projectid", "changeseq" });

            migrationBuilder.CreateIndex(
                name: "IX_items_projectid_datasetid_name",
                table: "items",
                columns: new[] { "projectid", "datasetid", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_models_workspaceid_name",
                table: "models",
                columns: new[] { "workspaceid", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_workspaceid_name",
                table: "projects",
                columns: new[] { "workspaceid", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_removed_items_projectid_changeseq",
                table: "removed_items",
                columns: new[] { "projectid", "changeseq" });

            migrationBuilder.CreateIndex(
                name: "IX_task_logs_taskid_id",
                table: "task_logs",
                columns: new[] { "taskid", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_task_relations_nodekind_refid",
                table: "task_relations",
                columns: new[] { "nodekind", "refid" });

            migrationBuilder.CreateIndex(
                name: "IX_task_relations_taskid",
                table: "task_relations",
                column: "taskid");

            migrationBuilder.CreateIndex(
                name: "IX_tasks_status",
                table: "tasks",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_tasks_workspaceid_createdat",
                table: "tasks",
                columns: new[] { "workspaceid", "createdat" });

            migrationBuilder.CreateIndex(
                name: "IX_versions_projectid_number",
                table: "versions",
                columns: new[] { "projectid", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_workspaces_name",
                table: "workspaces",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "evaluations");

            migrationBuilder.DropTable(
                name: "files");

            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "models");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "removed_items");

            migrationBuilder.DropTable(
                name: "task_logs");

            migrationBuilder.DropTable(
                name: "task_relations");

            migrationBuilder.DropTable(
                name: "tasks");

            migrationBuilder.DropTable(
                name: "versions");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
