import fp from 'fastify-plugin';
import { runBookingSweep } from '../../services/booking/booking-sweeps.ts';
import { runOutboxSweep } from '../../services/accounts/outbox.ts';
import { smsSenderFor, type SmsSenderConfig } from '../../services/accounts/sms-senders.ts';
import { lastRefreshed, runKpiSweep } from '../../services/dashboard/kpi-rollups.ts';
import { extendOpenIntervals } from '../../services/venues/open-intervals.ts';
import { extendSchoolSessions } from '../../services/schools/school-plans.ts';
import { runTicketSweep } from '../../services/repairs/ticket-sweeps.ts';

export interface SweepsPluginOptions {
  /** Opening-interval upkeep and the dashboard's rollups; 0 turns it off (tests run sweeps by hand). */
  intervalMinutes: number;
  /** No-shows, reminders, completion, and the repair tickets' auto-close and escalation; 0 turns it off. */
  bookingSweepSeconds: number;
  /** Which sender the outbox's text messages go through (`SMS_SENDER`, `SMS_HTTP_URL`); the log sender when unset. */
  sms?: SmsSenderConfig;
}

/**
 * Background upkeep that must not depend on anyone calling the API: keeps the materialised opening
 * intervals a fortnight ahead, refreshes the dashboard's rollups, and runs the booking and
 * repair-ticket sweeps, then sends what the outbox holds (claimed with FOR UPDATE SKIP LOCKED, so
 * each message is sent by one instance; retried after 1, 5 and 30 minutes). Each sweep takes a Postgres advisory lock (a pass that cannot have it skips),
 * so with several instances one at a time does the work and each no-show, reminder or escalation
 * happens once; the rollups are skipped while another instance's refresh is fresh.
 */
export default fp<SweepsPluginOptions>(
  async (fastify, opts) => {
    const sms = smsSenderFor(opts.sms ?? { SMS_SENDER: 'log' }, (entry, message) => fastify.log.info(entry, message));
    let bookingTimer: NodeJS.Timeout | undefined;
    if (opts.bookingSweepSeconds > 0) {
      const sweepBookingsAndTickets = async () => {
        try {
          const report = await runBookingSweep(fastify.db, fastify.now());
          if (report && report.noShows + report.reminded + report.completed > 0) fastify.log.info(report, 'booking sweep');
        } catch (err) {
          fastify.log.error({ err }, 'booking sweep failed');
        }
        try {
          const report = await runTicketSweep(fastify.db, fastify.now());
          if (report && report.closed + report.escalated > 0) fastify.log.info(report, 'ticket sweep');
        } catch (err) {
          fastify.log.error({ err }, 'ticket sweep failed');
        }
        try {
          const report = await runOutboxSweep(fastify.db, { sms }, fastify.now());
          if (report.sent + report.retried + report.failed > 0) fastify.log.info(report, 'outbox sweep');
        } catch (err) {
          fastify.log.error({ err }, 'outbox sweep failed');
        }
      };
      fastify.addHook('onReady', async () => {
        bookingTimer = setInterval(sweepBookingsAndTickets, opts.bookingSweepSeconds * 1000);
        bookingTimer.unref();
      });
      fastify.addHook('onClose', async () => clearInterval(bookingTimer));
    }
    if (opts.intervalMinutes <= 0) return;
    const run = async () => {
      try {
        const extended = await extendOpenIntervals(fastify.db, fastify.now());
        if (extended > 0) fastify.log.info({ extended }, 'opening intervals extended');
        const sessions = await extendSchoolSessions(fastify.db, fastify.now());
        if (sessions > 0) fastify.log.info({ sessions }, 'school sessions written ahead');
      } catch (err) {
        fastify.log.error({ err }, 'opening-interval sweep failed');
      }
    };
    // The dashboard's rollups: the first run backfills, which may take seconds, so it never holds up start.
    // Each refresh recomputes the whole window, so with several instances the first to tick after an
    // interval does it and the others, finding it fresh (refreshed within 90 % of an interval), skip.
    const intervalMs = opts.intervalMinutes * 60_000;
    let kpiRunning: Promise<void> | undefined;
    const sweepKpis = () => {
      kpiRunning ??= lastRefreshed(fastify.db)
        .then(async (last) => {
          const now = fastify.now();
          const age = last ? now.getTime() - last.getTime() : Infinity;
          if (last && age >= 0 && age < intervalMs * 0.9) {
            fastify.log.info({ refreshedAt: last.toISOString() }, 'dashboard rollups fresh; refresh skipped');
            return;
          }
          fastify.log.info(await runKpiSweep(fastify.db, now), 'dashboard rollups refreshed');
        })
        .catch((err: unknown) => fastify.log.error({ err }, 'dashboard rollup sweep failed'))
        .finally(() => (kpiRunning = undefined));
    };
    let timer: NodeJS.Timeout | undefined;
    fastify.addHook('onReady', async () => {
      await run();
      sweepKpis();
      timer = setInterval(() => {
        void run();
        sweepKpis();
      }, intervalMs);
      timer.unref();
    });
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await kpiRunning;
    });
  },
  { name: 'sweeps', dependencies: ['db', 'clock'] },
);
