import { createHmac, randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '@sports/db';
import type { Config } from './config.ts';
import { serializeLoggedError, serializeRequest } from './log-redaction.ts';
import authPlugin from './plugins/app/auth.ts';
import dbPlugin from './plugins/app/db.ts';
import clockPlugin from './plugins/app/clock.ts';
import errorsPlugin, { clientErrors, frameworkErrors } from './plugins/app/errors.ts';
import inputPlugin from './plugins/app/input.ts';
import sweepsPlugin from './plugins/app/sweeps.ts';
import schoolRoutes from './routes/api/v1/schools/index.ts';
import { identityKeys, localIdentityKey } from './services/accounts/identity.ts';
import answerCachePlugin from './plugins/app/answer-cache.ts';
import cachesPlugin from './plugins/app/caches.ts';
import uploadsPlugin from './plugins/app/uploads.ts';
import compressPlugin from './plugins/external/compress.ts';
import cookiePlugin from './plugins/external/cookie.ts';
import helmetPlugin from './plugins/external/helmet.ts';
import rateLimitPlugin from './plugins/external/rate-limit.ts';
import spaPlugin from './plugins/external/spa.ts';
import swaggerPlugin from './plugins/external/swagger.ts';
import authRoutes from './routes/api/v1/auth/index.ts';
import meRoutes from './routes/api/v1/me/index.ts';
import organisationRoutes from './routes/api/v1/organisations/index.ts';
import regionRoutes from './routes/api/v1/regions/index.ts';
import calendarRoutes from './routes/api/v1/calendar/index.ts';
import cityRoutes from './routes/api/v1/cities/index.ts';
import mapRoutes from './routes/api/v1/map/index.ts';
import reservationRoutes, { checkInRoutes } from './routes/api/v1/reservations/index.ts';
import venueBookingRoutes from './routes/api/v1/venues/bookings.ts';
import venueRoutes from './routes/api/v1/venues/index.ts';
import open311Routes from './routes/open311.ts';
import kpiRoutes from './routes/api/v1/kpis/index.ts';
import healthRoutes from './routes/health.ts';
import problemRoutes from './routes/api/v1/problems/index.ts';
import assetRoutes from './routes/api/v1/assets/index.ts';
import ticketRoutes from './routes/api/v1/tickets/index.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  /** Fixes the time for tests; the real clock otherwise. */
  clock?: () => Date;
  /** Where log lines go (stdout by default); tests read them to prove what is never logged. */
  logStream?: { write(line: string): void };
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

export function serverOptions(config: Config, logStream?: AppOptions['logStream']): FastifyServerOptions {
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // URLs without their secrets (calendar key, phones), errors without their query parameters.
      serializers: { req: serializeRequest, err: serializeLoggedError },
      ...(logStream ? { stream: logStream } : {}),
    },
    trustProxy: (_address, hop) => hop < config.TRUST_PROXY_HOPS,
    requestIdHeader: false,
    frameworkErrors: frameworkErrors(config.PUBLIC_BASE_URL),
    clientErrorHandler: clientErrors(config.PUBLIC_BASE_URL),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Reuse a caller's X-Request-Id when it is sane, so one id follows a request through proxies.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

/** The whole application: external plugins, then ours, then routes. Listening is server.ts's job. */
export async function buildApp({ config, database, clock, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config, logStream)).withTypeProvider<TypeBoxTypeProvider>();
  // Entry QR codes are signed with a key derived from the token secret.
  const secrets = {
    qrKey: createHmac('sha256', config.JWT_SECRET).update('reservation-qr').digest('hex'),
    reportKey: createHmac('sha256', config.JWT_SECRET).update('ticket-report-upload').digest('hex'),
  };
  // Personal data is sealed with keys from IDENTITY_KEY (required in production; kept in DATA_DIR otherwise).
  const keys = identityKeys(config.IDENTITY_KEY ?? localIdentityKey(config.DATA_DIR));

  // Hooks on every request take a callback rather than returning a promise: one less promise and
  // microtask per request each (the booking budget of DESIGN §8 is counted in such costs).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(helmetPlugin, { mapTileUrl: config.MAP_TILE_URL });
  await app.register(compressPlugin);
  await app.register(cookiePlugin);
  await app.register(rateLimitPlugin, {
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    redisUrl: config.REDIS_URL,
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
  });
  await app.register(swaggerPlugin, { publicBaseUrl: config.PUBLIC_BASE_URL });

  await app.register(errorsPlugin, { publicBaseUrl: config.PUBLIC_BASE_URL });
  await app.register(inputPlugin);
  await app.register(clockPlugin, { clock });
  await app.register(dbPlugin, { database });
  await app.register(answerCachePlugin, { ttlMs: config.AVAILABILITY_CACHE_MS });
  await app.register(cachesPlugin, { statsMinutes: config.CACHE_STATS_MINUTES });
  await app.register(uploadsPlugin, { dataDir: config.DATA_DIR, maxBytes: config.UPLOAD_MAX_BYTES });
  await app.register(sweepsPlugin, {
    intervalMinutes: config.SWEEP_INTERVAL_MINUTES,
    bookingSweepSeconds: config.BOOKING_SWEEP_SECONDS,
    sms: { SMS_SENDER: config.SMS_SENDER, SMS_HTTP_URL: config.SMS_HTTP_URL },
  });
  await app.register(authPlugin, {
    secret: config.JWT_SECRET,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    cookieSecure: config.COOKIE_SECURE,
  });

  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        prefix: '/auth',
        settings: {
          refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
          maxFailuresPerPhone: config.LOGIN_MAX_FAILURES_PER_PHONE,
          maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
          failureWindowMinutes: config.LOGIN_FAILURE_WINDOW_MINUTES,
        },
      });
      await api.register(meRoutes, { prefix: '/me', identityKeys: keys });
      await api.register(organisationRoutes, { prefix: '/organisations' });
      await api.register(regionRoutes, { prefix: '/regions' });
      await api.register(venueRoutes, { prefix: '/venues' });
      await api.register(venueBookingRoutes, { prefix: '/venues' });
      await api.register(reservationRoutes, { prefix: '/reservations', secrets, calendar: { uidDomain: config.CALENDAR_UID_DOMAIN, publicBaseUrl: config.PUBLIC_BASE_URL } });
      await api.register(checkInRoutes, { prefix: '/check-ins', secrets });
      await api.register(calendarRoutes, { prefix: '/calendar', secrets, calendar: { uidDomain: config.CALENDAR_UID_DOMAIN, publicBaseUrl: config.PUBLIC_BASE_URL } });
      await api.register(cityRoutes, { prefix: '/cities' });
      await api.register(problemRoutes, { prefix: '/problems' });
      await api.register(schoolRoutes, { secrets });
      await api.register(assetRoutes, { links: { publicBaseUrl: config.PUBLIC_BASE_URL } });
      await api.register(ticketRoutes, { secrets });
      await api.register(kpiRoutes);
      await api.register(mapRoutes, {
        prefix: '/map',
        tiles: { url: config.MAP_TILE_URL, crs: config.MAP_TILE_CRS, attribution: config.MAP_TILE_ATTRIBUTION },
      });
    },
    { prefix: '/api/v1' },
  );
  await app.register(open311Routes, { prefix: '/open311/v2', publicBaseUrl: config.PUBLIC_BASE_URL });
  await app.register(spaPlugin, { root: config.WEB_DIST });

  await app.ready();
  return app;
}
