CREATE TABLE "kpi_area_days" (
	"city_code" text NOT NULL,
	"district_code" text NOT NULL,
	"day" date NOT NULL,
	"open_by_hour" bigint[] NOT NULL,
	"booked_by_hour" bigint[] NOT NULL,
	CONSTRAINT "kpi_area_days_city_code_district_code_day_pk" PRIMARY KEY("city_code","district_code","day"),
	CONSTRAINT "kpi_area_days_hours" CHECK (cardinality("kpi_area_days"."open_by_hour") = 24 and cardinality("kpi_area_days"."booked_by_hour") = 24)
);
--> statement-breakpoint
CREATE TABLE "kpi_resource_days" (
	"resource_id" uuid NOT NULL,
	"day" date NOT NULL,
	"venue_id" uuid NOT NULL,
	"bookable" boolean NOT NULL,
	"open_minutes" integer NOT NULL,
	"booked_minutes" integer NOT NULL,
	"open_by_hour" integer[] NOT NULL,
	"booked_by_hour" integer[] NOT NULL,
	"due" integer NOT NULL,
	"no_shows" integer NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kpi_resource_days_resource_id_day_pk" PRIMARY KEY("resource_id","day"),
	CONSTRAINT "kpi_resource_days_minutes" CHECK ("kpi_resource_days"."booked_minutes" >= 0 and "kpi_resource_days"."open_minutes" >= 0 and "kpi_resource_days"."no_shows" <= "kpi_resource_days"."due"),
	CONSTRAINT "kpi_resource_days_hours" CHECK (cardinality("kpi_resource_days"."open_by_hour") = 24 and cardinality("kpi_resource_days"."booked_by_hour") = 24)
);
--> statement-breakpoint
CREATE TABLE "kpi_venue_months" (
	"venue_id" uuid NOT NULL,
	"sport" text NOT NULL,
	"month" date NOT NULL,
	"open_minutes" bigint NOT NULL,
	"all_open_minutes" bigint NOT NULL,
	"booked_minutes" bigint NOT NULL,
	"due" integer NOT NULL,
	"no_shows" integer NOT NULL,
	CONSTRAINT "kpi_venue_months_venue_id_sport_month_pk" PRIMARY KEY("venue_id","sport","month"),
	CONSTRAINT "kpi_venue_months_first_day" CHECK (extract(day from "kpi_venue_months"."month") = 1)
);
--> statement-breakpoint
ALTER TABLE "kpi_resource_days" ADD CONSTRAINT "kpi_resource_days_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_resource_days" ADD CONSTRAINT "kpi_resource_days_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_venue_months" ADD CONSTRAINT "kpi_venue_months_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_resource_days_venue_day_idx" ON "kpi_resource_days" USING btree ("venue_id","day");--> statement-breakpoint
CREATE INDEX "kpi_resource_days_day_idx" ON "kpi_resource_days" USING btree ("day");