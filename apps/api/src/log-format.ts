import { hostname } from 'node:os';

/**
 * How log lines look. Production (and tests, which parse them) write pino's JSON, one object a line;
 * development writes the same lines made readable: `19:05:02 INFO  listening url=http://…`. The
 * pretty form is a stream that reads pino's JSON, so the redaction and serializers apply to both.
 */
export type LogFormat = 'json' | 'pretty';

/** The settings that decide it (a `Config` has them). */
export interface LogSettings {
  LOG_FORMAT?: LogFormat | undefined;
  NODE_ENV: string;
  LOG_LEVEL?: string;
}

export function logFormat(config: LogSettings): LogFormat {
  return config.LOG_FORMAT ?? (config.NODE_ENV === 'development' ? 'pretty' : 'json');
}

export interface LogStream {
  write(line: string): void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_NUMBERS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
/** Fields every line has, shown in the prefix or not at all. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

function clock(time: unknown): string {
  const at = typeof time === 'number' ? new Date(time) : new Date();
  return at.toTimeString().slice(0, 8);
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One JSON log line as one readable line (a line that is not JSON passes unchanged). */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = (LEVEL_NAMES[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (HIDDEN.has(key)) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as Record<string, unknown>;
      fields.push(`err=${fieldText(err.message ?? err.type ?? '')}`);
      if (typeof err.stack === 'string' && Number(entry.level) >= 50) stack = `\n${err.stack.replace(/^/gm, '    ')}`;
      continue;
    }
    fields.push(`${key}=${fieldText(value)}`);
  }
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${clock(entry.time)} ${level} ${[msg, ...fields].filter(Boolean).join(' ')}${stack}\n`;
}

/** Writes each JSON line readably to `out` (stdout by default). */
export function prettyStream(out: LogStream = process.stdout): LogStream {
  return { write: (chunk: string) => out.write(chunk.split('\n').filter(Boolean).map(prettyLine).join('')) };
}

/** The stream log lines go to: undefined means pino's own (stdout, JSON). */
export function logDestination(config: LogSettings): LogStream | undefined {
  return logFormat(config) === 'pretty' ? prettyStream() : undefined;
}

export interface StartupLog {
  info(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Lines written before the app (and its pino logger) exists: opening the database, migrating,
 * loading the demo data. Same shape as pino's lines (level, time, pid, hostname, msg), same level
 * threshold, same destination.
 */
export function startupLog(config: LogSettings, destination = logDestination(config)): StartupLog {
  const out: LogStream = destination ?? process.stdout;
  const threshold = LEVEL_NUMBERS[config.LOG_LEVEL ?? 'info'] ?? 30;
  const host = hostname();
  return {
    info(msg, fields = {}) {
      if (30 < threshold) return;
      out.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: host, ...fields, msg })}\n`);
    },
  };
}
