import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

/** Settings as a `.env` with blank lines gives them: every kind of setting, set to the empty string. */
const EMPTY_OF_EACH_KIND = {
  NODE_ENV: '', // enum
  LOG_LEVEL: '', // enum
  SMS_SENDER: '', // enum
  MAP_TILE_CRS: '', // enum
  PORT: '', // integer
  DB_CONNECT_TIMEOUT_MS: '', // integer
  SEED_DEMO_DATA: '', // boolean with a default
  COOKIE_SECURE: '', // optional boolean
  DATABASE_URL: '', // optional URL
  REDIS_URL: '', // optional URL
  SMS_HTTP_URL: '', // optional URL
  PUBLIC_BASE_URL: '', // URL with a default
  HOST: '', // string with a default
  DATA_DIR: '', // path with a default
  JWT_SECRET: '', // optional secret
  IDENTITY_KEY: '', // optional secret
  TEST_CLOCK: '', // optional instant
  CALENDAR_UID_DOMAIN: '', // optional, derived when unset
};

/**
 * loadConfig reads the process's environment under the sources it is given, so the settings these
 * tests name are taken out of it while they run (a CI step may export PORT or NODE_ENV).
 */
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  for (const key of [...Object.keys(EMPTY_OF_EACH_KIND), 'SWEEP_INTERVAL_MINUTES', 'BOOKING_SWEEP_SECONDS', 'RATE_LIMIT_PER_MINUTE']) delete process.env[key];
});
afterEach(() => {
  process.env = saved;
});

describe('settings: an empty value counts as unset', () => {
  it('gives the default for an empty value of every kind', () => {
    const unset = loadConfig({}, false);
    const empty = loadConfig(EMPTY_OF_EACH_KIND, false);
    for (const key of Object.keys(EMPTY_OF_EACH_KIND) as (keyof typeof EMPTY_OF_EACH_KIND)[]) {
      // JWT_SECRET is random per load when unset: only its presence can be compared.
      if (key === 'JWT_SECRET') expect(empty.JWT_SECRET).toHaveLength(unset.JWT_SECRET.length);
      else expect(empty[key], key).toEqual(unset[key]);
    }
    expect(empty.PORT).toBe(3000);
    expect(empty.SEED_DEMO_DATA).toBe(true); // not coerced to false
    expect(empty.DATABASE_URL).toBeUndefined(); // the embedded database
    expect(empty.NODE_ENV).toBe(unset.NODE_ENV);
    expect(empty.PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(empty.COOKIE_SECURE).toBe(false);
  });

  it('treats a value of only blanks as unset too', () => {
    const config = loadConfig({ DATABASE_URL: '  ', PORT: ' ', MAP_TILE_CRS: '\t' }, false);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.MAP_TILE_CRS).toBe('wgs84');
  });

  it('still takes a value that is set', () => {
    const config = loadConfig(
      { PORT: '8080', SEED_DEMO_DATA: 'false', MAP_TILE_CRS: 'gcj02', DATABASE_URL: 'postgres://u@db/sports', COOKIE_SECURE: 'true' },
      false,
    );
    expect(config).toMatchObject({ PORT: 8080, SEED_DEMO_DATA: false, MAP_TILE_CRS: 'gcj02', DATABASE_URL: 'postgres://u@db/sports', COOKIE_SECURE: true });
  });

  it('an empty value in production still leaves the required secrets missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: '' }, false)).toThrow(/JWT_SECRET must be set/);
  });
});

describe('settings: a wrong value still stops the start, with a clear message', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['string', { IDENTITY_KEY: 'not-hex' }, /IDENTITY_KEY \(value not shown\) must match pattern/],
    ['number', { PORT: 'eighty' }, /PORT \(got "eighty"\) must be integer/],
    ['number out of range', { PORT: '70000' }, /PORT \(got "70000"\) must be <= 65535/],
    ['boolean', { SEED_DEMO_DATA: 'yes' }, /SEED_DEMO_DATA \(got "yes"\) must be boolean/],
    ['URL', { DATABASE_URL: 'mysql://root:hunter2@db/sports' }, /DATABASE_URL \(value not shown\) must match pattern/],
    ['URL with a default', { PUBLIC_BASE_URL: 'localhost:3000' }, /PUBLIC_BASE_URL \(got "localhost:3000"\) must match pattern/],
    ['enum', { NODE_ENV: 'prod' }, /NODE_ENV \(got "prod"\) must be one of development, production, test/],
    ['enum', { MAP_TILE_CRS: 'bd09' }, /MAP_TILE_CRS \(got "bd09"\) must be one of wgs84, gcj02/],
  ];
  it.each(cases)('%s: %j', (_kind, env, message) => {
    expect(() => loadConfig(env, false)).toThrow(message);
  });

  it('names every wrong setting at once and never repeats a secret', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:hunter2@db/sports' }, false);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/LOG_LEVEL \(got "loud"\) must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain('hunter2');
  });
});
