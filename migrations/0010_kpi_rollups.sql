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
ALTER TABLE "kpi_resource_days" ADD CONSTRAINT "kpi_resource_days_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_resource_days" ADD CONSTRAINT "kpi_resource_days_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_resource_days_venue_day_idx" ON "kpi_resource_days" USING btree ("venue_id","day");