CREATE TYPE "public"."holiday_rule" AS ENUM('as_weekend', 'closed', 'as_usual');--> statement-breakpoint
CREATE TYPE "public"."hours_exception_kind" AS ENUM('closed', 'special');--> statement-breakpoint
CREATE TYPE "public"."price_level" AS ENUM('free', 'low', 'paid');--> statement-breakpoint
CREATE TYPE "public"."resource_mode" AS ENUM('exclusive', 'shared');--> statement-breakpoint
CREATE TYPE "public"."resource_status" AS ENUM('active', 'out_of_service', 'retired');--> statement-breakpoint
CREATE TYPE "public"."venue_kind" AS ENUM('stadium', 'gym', 'community_center', 'park', 'fitness_path', 'school');--> statement-breakpoint
CREATE TABLE "venue_hours_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"resource_id" uuid,
	"date" date NOT NULL,
	"kind" "hours_exception_kind" NOT NULL,
	"ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_hours_exceptions_uq" UNIQUE NULLS NOT DISTINCT("venue_id","resource_id","date"),
	CONSTRAINT "venue_hours_exceptions_ranges" CHECK ("venue_hours_exceptions"."kind" = 'closed' or jsonb_array_length("venue_hours_exceptions"."ranges") > 0)
);
--> statement-breakpoint
CREATE TABLE "venue_open_intervals" (
	"venue_id" uuid NOT NULL,
	"during" "tstzrange" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venue_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venue_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sport" text NOT NULL,
	"indoor" boolean DEFAULT false NOT NULL,
	"mode" "resource_mode" NOT NULL,
	"capacity" integer DEFAULT 1 NOT NULL,
	"status" "resource_status" DEFAULT 'active' NOT NULL,
	"weekly_hours" jsonb,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_resources_capacity" CHECK (("venue_resources"."mode" = 'exclusive' and "venue_resources"."capacity" = 1) or ("venue_resources"."mode" = 'shared' and "venue_resources"."capacity" between 1 and 10000))
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "venue_kind" NOT NULL,
	"city_code" text NOT NULL,
	"district_code" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"location_approximate" boolean DEFAULT false NOT NULL,
	"sports" text[] DEFAULT '{}'::text[] NOT NULL,
	"facilities" text[] DEFAULT '{}'::text[] NOT NULL,
	"phone" text,
	"description" text DEFAULT '' NOT NULL,
	"price_level" "price_level" NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"holiday_rule" "holiday_rule" DEFAULT 'as_usual' NOT NULL,
	"weekly_hours" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venues_lat_range" CHECK ("venues"."lat" between -90 and 90),
	CONSTRAINT "venues_lng_range" CHECK ("venues"."lng" between -180 and 180)
);
--> statement-breakpoint
ALTER TABLE "venue_hours_exceptions" ADD CONSTRAINT "venue_hours_exceptions_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_hours_exceptions" ADD CONSTRAINT "venue_hours_exceptions_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_hours_exceptions" ADD CONSTRAINT "venue_hours_exceptions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_open_intervals" ADD CONSTRAINT "venue_open_intervals_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_photos" ADD CONSTRAINT "venue_photos_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_photos" ADD CONSTRAINT "venue_photos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_resources" ADD CONSTRAINT "venue_resources_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_city_code_regions_code_fk" FOREIGN KEY ("city_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_district_code_regions_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "venue_open_intervals_venue_during_idx" ON "venue_open_intervals" USING gist ("venue_id","during");--> statement-breakpoint
CREATE INDEX "venue_open_intervals_during_idx" ON "venue_open_intervals" USING gist ("during");--> statement-breakpoint
CREATE INDEX "venue_photos_venue_idx" ON "venue_photos" USING btree ("venue_id");--> statement-breakpoint
CREATE INDEX "venue_resources_venue_idx" ON "venue_resources" USING btree ("venue_id");--> statement-breakpoint
CREATE UNIQUE INDEX "venue_resources_name_uq" ON "venue_resources" USING btree ("venue_id","name");--> statement-breakpoint
CREATE INDEX "venues_city_district_idx" ON "venues" USING btree ("city_code","district_code");--> statement-breakpoint
CREATE INDEX "venues_organisation_idx" ON "venues" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "venues_sports_idx" ON "venues" USING gin ("sports");--> statement-breakpoint
CREATE INDEX "venues_location_idx" ON "venues" USING gist (point("lng", "lat"));