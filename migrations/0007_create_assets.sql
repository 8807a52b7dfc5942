-- Moved first by hand: the foreign key assets_resource_same_venue_fk below needs this constraint to exist.
ALTER TABLE "venue_resources" ADD CONSTRAINT "venue_resources_id_venue_uq" UNIQUE("id","venue_id");--> statement-breakpoint
CREATE TYPE "public"."asset_status" AS ENUM('ok', 'degraded', 'out_of_service');--> statement-breakpoint
CREATE TYPE "public"."asset_type" AS ENUM('basketball_hoop', 'net', 'court_surface', 'lighting', 'fence', 'toilet', 'seating', 'walker', 'air_walker', 'back_massager', 'horizontal_bar', 'parallel_bars', 'rider', 'twister', 'other');--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"resource_id" uuid,
	"code" text NOT NULL,
	"type" "asset_type" NOT NULL,
	"name" text NOT NULL,
	"install_date" date NOT NULL,
	"service_life_years" integer NOT NULL,
	"warranty_until" date,
	"status" "asset_status" DEFAULT 'ok' NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assets_code_format" CHECK ("assets"."code" ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'),
	CONSTRAINT "assets_name_present" CHECK (length(btrim("assets"."name")) > 0),
	CONSTRAINT "assets_service_life" CHECK ("assets"."service_life_years" between 1 and 50),
	CONSTRAINT "assets_warranty_after_install" CHECK ("assets"."warranty_until" >= "assets"."install_date"),
	CONSTRAINT "assets_position_whole" CHECK (("assets"."lat" is null) = ("assets"."lng" is null)),
	CONSTRAINT "assets_lat_range" CHECK ("assets"."lat" between -90 and 90),
	CONSTRAINT "assets_lng_range" CHECK ("assets"."lng" between -180 and 180)
);
--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_resource_same_venue_fk" FOREIGN KEY ("resource_id","venue_id") REFERENCES "public"."venue_resources"("id","venue_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assets_code_uq" ON "assets" USING btree ("code");--> statement-breakpoint
CREATE INDEX "assets_venue_idx" ON "assets" USING btree ("venue_id","type");--> statement-breakpoint
CREATE INDEX "assets_resource_idx" ON "assets" USING btree ("resource_id");