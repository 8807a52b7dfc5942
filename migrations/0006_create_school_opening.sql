CREATE TYPE "public"."school_eligibility" AS ENUM('city', 'district');--> statement-breakpoint
CREATE TYPE "public"."school_plan_status" AS ENUM('draft', 'published', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."school_registration_status" AS ENUM('confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show');--> statement-breakpoint
CREATE TYPE "public"."school_session_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "pledge_acceptances" (
	"user_id" uuid NOT NULL,
	"pledge_id" uuid NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_identities" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"name_cipher" text NOT NULL,
	"name_masked" text NOT NULL,
	"id_cipher" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"birth_date" date NOT NULL,
	"district_code" text NOT NULL,
	"city_code" text NOT NULL,
	"consent_version" text NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_identities_masked" CHECK ("resident_identities"."id_masked" ~ '^[0-9]{4}[*]{10}[0-9]{3}[0-9X]$')
);
--> statement-breakpoint
CREATE TABLE "school_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"weekly" jsonb NOT NULL,
	"closed_dates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open_on_holidays" boolean DEFAULT false NOT NULL,
	"capacity" integer NOT NULL,
	"eligibility" "school_eligibility" DEFAULT 'city' NOT NULL,
	"allow_minors" boolean DEFAULT true NOT NULL,
	"status" "school_plan_status" DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_plans_capacity" CHECK ("school_plans"."capacity" between 1 and 5000),
	CONSTRAINT "school_plans_dates" CHECK ("school_plans"."ends_on" >= "school_plans"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "school_pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_pledges_version_positive" CHECK ("school_pledges"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "school_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"code" text NOT NULL,
	"party_size" integer NOT NULL,
	"minors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "school_registration_status" DEFAULT 'confirmed' NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_without_penalty" boolean DEFAULT false NOT NULL,
	"cancel_reason" text,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" uuid,
	"checked_out_at" timestamp with time zone,
	CONSTRAINT "school_registrations_party" CHECK ("school_registrations"."party_size" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "school_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"status" "school_session_status" DEFAULT 'open' NOT NULL,
	"note" text,
	"closed_reason" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	CONSTRAINT "school_sessions_capacity" CHECK ("school_sessions"."taken" >= 0 and "school_sessions"."taken" <= "school_sessions"."capacity"),
	CONSTRAINT "school_sessions_times" CHECK ("school_sessions"."ends_at" > "school_sessions"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "pledge_acceptances" ADD CONSTRAINT "pledge_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_acceptances" ADD CONSTRAINT "pledge_acceptances_pledge_id_school_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."school_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_identities" ADD CONSTRAINT "resident_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_identities" ADD CONSTRAINT "resident_identities_district_code_regions_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_identities" ADD CONSTRAINT "resident_identities_city_code_regions_code_fk" FOREIGN KEY ("city_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_plans" ADD CONSTRAINT "school_plans_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_plans" ADD CONSTRAINT "school_plans_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_plans" ADD CONSTRAINT "school_plans_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_plans" ADD CONSTRAINT "school_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_pledges" ADD CONSTRAINT "school_pledges_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_pledges" ADD CONSTRAINT "school_pledges_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_registrations" ADD CONSTRAINT "school_registrations_session_id_school_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."school_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_registrations" ADD CONSTRAINT "school_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_registrations" ADD CONSTRAINT "school_registrations_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sessions" ADD CONSTRAINT "school_sessions_plan_id_school_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."school_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sessions" ADD CONSTRAINT "school_sessions_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sessions" ADD CONSTRAINT "school_sessions_resource_id_venue_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."venue_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sessions" ADD CONSTRAINT "school_sessions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sessions" ADD CONSTRAINT "school_sessions_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pledge_acceptances_uq" ON "pledge_acceptances" USING btree ("user_id","pledge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_identities_id_hash_uq" ON "resident_identities" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "school_plans_venue_idx" ON "school_plans" USING btree ("venue_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "school_pledges_version_uq" ON "school_pledges" USING btree ("organisation_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "school_registrations_code_uq" ON "school_registrations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "school_registrations_idempotency_uq" ON "school_registrations" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "school_registrations_one_per_session_uq" ON "school_registrations" USING btree ("session_id","user_id") WHERE "school_registrations"."status" in ('confirmed', 'checked_in', 'checked_out');--> statement-breakpoint
CREATE INDEX "school_registrations_user_idx" ON "school_registrations" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "school_sessions_plan_start_uq" ON "school_sessions" USING btree ("plan_id","starts_at");--> statement-breakpoint
CREATE INDEX "school_sessions_start_idx" ON "school_sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "school_sessions_venue_start_idx" ON "school_sessions" USING btree ("venue_id","starts_at");