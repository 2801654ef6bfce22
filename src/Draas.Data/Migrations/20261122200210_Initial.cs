using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Draas.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    request_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    actor_project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    resource_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    resource_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    auth_url = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    region_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    @interface = table.Column<string>(name: "interface", type: "character varying(16)", maxLength: 16, nullable: false),
                    auth_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    username = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    user_domain_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    project_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    project_domain_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    application_credential_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    secret_ciphertext = table.Column<string>(type: "text", nullable: false),
                    verify_tls = table.Column<bool>(type: "boolean", nullable: false),
                    last_check = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "arrays",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    site_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plugin = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    endpoint = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    api_token_ciphertext = table.Column<string>(type: "text", nullable: false),
                    cinder_backend = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    volume_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    peer_array_id = table.Column<Guid>(type: "uuid", nullable: true),
                    verify_tls = table.Column<bool>(type: "boolean", nullable: false),
                    ca_bundle = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_arrays", x => x.id);
                    table.ForeignKey(
                        name: "fk_arrays_arrays_peer_array_id",
                        column: x => x.peer_array_id,
                        principalTable: "arrays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_arrays_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "protections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    primary_site_id = table.Column<Guid>(type: "uuid", nullable: false),
                    primary_project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    recovery_site_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recovery_project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    rpo_target_seconds = table.Column<int>(type: "integer", nullable: false),
                    drill_schedule = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    network_mapping = table.Column<string>(type: "jsonb", nullable: false),
                    contacts = table.Column<List<string>>(type: "text[]", nullable: false),
                    webhook_url = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_protections", x => x.id);
                    table.ForeignKey(
                        name: "fk_protections_sites_primary_site_id",
                        column: x => x.primary_site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_protections_sites_recovery_site_id",
                        column: x => x.recovery_site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    protection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    replication_mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    replication_interval_seconds = table.Column<int>(type: "integer", nullable: false),
                    retention_count = table.Column<int>(type: "integer", nullable: false),
                    selector = table.Column<string>(type: "jsonb", nullable: true),
                    health_checks = table.Column<string>(type: "jsonb", nullable: true),
                    hooks = table.Column<string>(type: "jsonb", nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_plans_protections_protection_id",
                        column: x => x.protection_id,
                        principalTable: "protections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "manifests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_manifests", x => x.id);
                    table.ForeignKey(
                        name: "fk_manifests_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_resources",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    resource_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    priority_group = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_resources", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_resources_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    protection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    project_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    recovery_point = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    options = table.Column<string>(type: "jsonb", nullable: true),
                    max_parallel = table.Column<int>(type: "integer", nullable: false),
                    timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    steps_remaining = table.Column<int>(type: "integer", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    request_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    report = table.Column<string>(type: "jsonb", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_runs_protections_protection_id",
                        column: x => x.protection_id,
                        principalTable: "protections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "steps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    phase = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    target = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    max_attempts = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    output = table.Column<string>(type: "jsonb", nullable: true),
                    job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_steps_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_arrays_name",
                table: "arrays",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_arrays_peer_array_id",
                table: "arrays",
                column: "peer_array_id");

            migrationBuilder.CreateIndex(
                name: "ix_arrays_site_id",
                table: "arrays",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_at",
                table: "audit_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_project_id_at",
                table: "audit_events",
                columns: new[] { "project_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_manifests_plan_id_sequence",
                table: "manifests",
                columns: new[] { "plan_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plan_resources_plan_id_kind_resource_id",
                table: "plan_resources",
                columns: new[] { "plan_id", "kind", "resource_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plans_project_id",
                table: "plans",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_plans_protection_id_name",
                table: "plans",
                columns: new[] { "protection_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_protections_primary_site_id_primary_project_id",
                table: "protections",
                columns: new[] { "primary_site_id", "primary_project_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_protections_recovery_site_id",
                table: "protections",
                column: "recovery_site_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_plan_id",
                table: "runs",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_project_id_created_at",
                table: "runs",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_protection_id",
                table: "runs",
                column: "protection_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_state",
                table: "runs",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_sites_name",
                table: "sites",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_steps_run_id_sequence",
                table: "steps",
                columns: new[] { "run_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_steps_run_id_state_phase",
                table: "steps",
                columns: new[] { "run_id", "state", "phase" });

            // The audit log is append-only for every client, not only for this service's code.
            migrationBuilder.Sql("""
                CREATE FUNCTION draas_audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
                END $$;
                CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION draas_audit_events_append_only();
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION draas_audit_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events; DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events; DROP FUNCTION IF EXISTS draas_audit_events_append_only();");

            migrationBuilder.DropTable(
                name: "arrays");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "manifests");

            migrationBuilder.DropTable(
                name: "plan_resources");

            migrationBuilder.DropTable(
                name: "steps");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropTable(
                name: "protections");

            migrationBuilder.DropTable(
                name: "sites");
        }
    }
}
