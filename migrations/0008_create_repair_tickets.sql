CREATE TYPE "public"."ticket_photo_kind" AS ENUM('report', 'after');--> statement-breakpoint
CREATE TYPE "public"."ticket_priority" AS ENUM('urgent', 'normal', 'low');--> statement-breakpoint
CREATE TYPE "public"."ticket_source" AS ENUM('app', 'open311');--> statement-breakpoint
CREATE TYPE "public"."ticket_state" AS ENUM('submitted', 'accepted', 'dispatched', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected', 'duplicate', 'transferred', 'reopened');--> statement-breakpoint
CREATE TABLE "anonymous_ticket_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"ip" "inet" NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"from_state" "ticket_state",
	"to_state" "ticket_state",
	"note" text DEFAULT '' NOT NULL,
	"internal" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_followers" (
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"me_too" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_followers_pk" PRIMARY KEY("ticket_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" "ticket_photo_kind" NOT NULL,
	"key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"asset_id" uuid,
	"venue_id" uuid,
	"resource_id" uuid,
	"organisation_id" uuid NOT NULL,
	"category" "asset_type" NOT NULL,
	"fault" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"reporter_id" uuid,
	"reporter_phone" text,
	"state" "ticket_state" DEFAULT 'submitted' NOT NULL,
	"priority" "ticket_priority" DEFAULT 'normal' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"assignee_id" uuid,
	"duplicate_of" uuid,
	"source" "ticket_source" DEFAULT 'app' NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"rating" integer,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_code_format" CHECK ("tickets"."code" ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'),
	CONSTRAINT "tickets_fault_present" CHECK (length(btrim("tickets"."fault")) > 0),
	CONSTRAINT "tickets_position_whole" CHECK (("tickets"."lat" is null) = ("tickets"."lng" is null)),
	CONSTRAINT "tickets_lat_range" CHECK ("tickets"."lat" between -90 and 90),
	CONSTRAINT "tickets_lng_range" CHECK ("tickets"."lng" between -180 and 180),
	CONSTRAINT "tickets_place_known" CHECK ("tickets"."asset_id" is not null or "tickets"."venue_id" is not null or "tickets"."lat" is not null),
	CONSTRAINT "tickets_reporter_known" CHECK ("tickets"."source" = 'open311' or "tickets"."reporter_id" is not null or "tickets"."reporter_phone" is not null),
	CONSTRAINT "tickets_reporter_phone_format" CHECK ("tickets"."reporter_phone" ~ '^1[3-9][0-9]{9}$'),
	CONSTRAINT "tickets_rating_range" CHECK ("tickets"."rating" between 1 and 5),
	CONSTRAINT "tickets_duplicate_of_other" CHECK ("tickets"."duplicate_of" <> "tickets"."id")
);
--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_followers" ADD CONSTRAINT "ticket_followers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_followers" ADD CONSTRAINT "ticket_followers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_photos" ADD CONSTRAINT "ticket_photos_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_photos" ADD CONSTRAINT "ticket_photos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_duplicate_of_tickets_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "anonymous_ticket_reports_phone_idx" ON "anonymous_ticket_reports" USING btree ("phone","reported_at");--> statement-breakpoint
CREATE INDEX "anonymous_ticket_reports_ip_idx" ON "anonymous_ticket_reports" USING btree ("ip","reported_at");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket_idx" ON "ticket_events" USING btree ("ticket_id","at","id");--> statement-breakpoint
CREATE INDEX "ticket_followers_user_idx" ON "ticket_followers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ticket_photos_ticket_idx" ON "ticket_photos" USING btree ("ticket_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_code_uq" ON "tickets" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tickets_queue_idx" ON "tickets" USING btree ("organisation_id","state","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_open_asset_uq" ON "tickets" USING btree ("asset_id") WHERE "tickets"."state" not in ('resolved', 'closed', 'rejected', 'duplicate');--> statement-breakpoint
CREATE INDEX "tickets_venue_idx" ON "tickets" USING btree ("venue_id");--> statement-breakpoint
CREATE INDEX "tickets_reporter_idx" ON "tickets" USING btree ("reporter_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("assignee_id","state");