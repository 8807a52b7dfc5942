import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { logDestination, logFormat, prettyLine, prettyStream, startupLog } from '../src/log-format.ts';
import { createTestApp } from './support/app.ts';

describe('log format', () => {
  it('is readable in development and JSON in production and tests, unless LOG_FORMAT says otherwise', () => {
    expect(logFormat(loadConfig({ NODE_ENV: 'development' }, false))).toBe('pretty');
    expect(logFormat(loadConfig({ NODE_ENV: 'test' }, false))).toBe('json');
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), IDENTITY_KEY: 'a'.repeat(64) };
    expect(logFormat(loadConfig(production, false))).toBe('json');
    expect(logDestination(loadConfig(production, false))).toBeUndefined(); // pino's own stdout: JSON as before
    expect(logFormat(loadConfig({ ...production, LOG_FORMAT: '' }, false))).toBe('json');
    expect(logFormat(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, false))).toBe('json');
    expect(logFormat(loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'pretty' }, false))).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' }, false)).toThrow(/LOG_FORMAT \(got "fancy"\) must be one of json, pretty/);
  });

  it('writes one readable line per JSON line', () => {
    const time = new Date(2026, 10, 25, 19, 5, 2).getTime();
    const line = prettyLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'database open', seconds: 0.8, dir: '/a b' }));
    expect(line).toBe('19:05:02 INFO  database open seconds=0.8 dir="/a b"\n');
    const error = prettyLine(JSON.stringify({ level: 50, time, msg: 'boom', err: { type: 'Error', message: 'bad', stack: 'Error: bad\n    at x' } }));
    expect(error.split('\n')[0]).toBe('19:05:02 ERROR boom err=bad');
    expect(error).toContain('    Error: bad');
    expect(prettyLine('not json')).toBe('not json\n');
  });

  it('writes the start-up progress as pino lines, at the configured level', () => {
    const out: string[] = [];
    startupLog({ NODE_ENV: 'test', LOG_LEVEL: 'info' }, { write: (l) => out.push(l) }).info('migrating', { pending: 3 });
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 30, msg: 'migrating', pending: 3, pid: process.pid });
    startupLog({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }, { write: (l) => out.push(l) }).info('quiet');
    expect(out).toHaveLength(1);
  });

  it('keeps the redaction in the readable form (it formats what pino already redacted)', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ LOG_LEVEL: 'info' }, undefined, prettyStream({ write: (l) => lines.push(l) }));
    try {
      await t.http().get('/api/v1/calendar/x23ZhrDC_G0Abrvnq4Q-irgBy0KJ-TsY.ics').set('authorization', 'Bearer secret-token-value');
      await t.http().get('/api/v1/audit?actorPhone=13812345678');
    } finally {
      await t.close();
    }
    const log = lines.join('');
    expect(log).toContain('/api/v1/calendar/[redacted].ics');
    expect(log).not.toContain('x23ZhrDC_G0Abrvnq4Q-irgBy0KJ-TsY');
    expect(log).not.toContain('secret-token-value');
    expect(log).not.toContain('13812345678');
    for (const line of log.trimEnd().split('\n')) expect(line).toMatch(/^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) /);
  });
});
