CREATE TABLE "open311_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "open311_clients_name_present" CHECK (length(btrim("open311_clients"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "expected_fix_date" date;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "ticket_sla" jsonb;--> statement-breakpoint
ALTER TABLE "reservations" ADD COLUMN "repair_asset_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "open311_client_id" uuid;--> statement-breakpoint
ALTER TABLE "open311_clients" ADD CONSTRAINT "open311_clients_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_clients" ADD CONSTRAINT "open311_clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open311_clients_key_uq" ON "open311_clients" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "open311_clients_organisation_idx" ON "open311_clients" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_repair_asset_id_assets_id_fk" FOREIGN KEY ("repair_asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_open311_client_id_open311_clients_id_fk" FOREIGN KEY ("open311_client_id") REFERENCES "public"."open311_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reservations_repair_asset_idx" ON "reservations" USING btree ("repair_asset_id") WHERE "reservations"."repair_asset_id" is not null;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_fix_date_only_out_of_service" CHECK ("assets"."expected_fix_date" is null or "assets"."status" = 'out_of_service');--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_repair_is_block" CHECK ("reservations"."repair_asset_id" is null or "reservations"."kind" = 'block');