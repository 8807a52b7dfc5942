import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './cluster.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const TEST_JWT_SECRET = 'ops-test-secret-that-is-at-least-32-characters';
export const TEST_IDENTITY_KEY = 'a'.repeat(64);

export interface ServerProcess {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Its stdout's JSON log lines (pino), parsed; other lines are skipped. */
  logLines(): Record<string, unknown>[];
  /** Whether it is still running. */
  alive(): boolean;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until /readyz answers 200 (throws when the process exits first or `timeoutMs` passes). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; removes its DATA_DIR. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The real server as production runs it, `node --import tsx apps/api/src/server.ts`, in a child
 * process on a free port, with test settings (fixed secrets, sweeps off, no rate limit to speak of)
 * that `env` overrides; resolves once /readyz answers 200.
 */
export async function startServer(env: Record<string, string | undefined> = {}, options: { readyTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sports-ops-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      WEB_DIST: '/nonexistent',
      JWT_SECRET: TEST_JWT_SECRET,
      IDENTITY_KEY: TEST_IDENTITY_KEY,
      RATE_LIMIT_PER_MINUTE: '1000000',
      SWEEP_INTERVAL_MINUTES: '0',
      BOOKING_SWEEP_SECONDS: '0',
      AVAILABILITY_CACHE_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve((exitedWith = { code, signal }))),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    port,
    url,
    pid: child.pid!,
    child,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    alive: () => !exitedWith,
    exited,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exitedWith) throw new Error(`server exited (${JSON.stringify(exitedWith)}) before it was ready:\n${output.slice(-4000)}`);
        const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`server not ready after ${timeoutMs} ms (last /readyz: ${status}):\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 10_000) {
      if (!exitedWith) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await server.ready(options.readyTimeoutMs);
  } catch (err) {
    await server.stop(1000);
    throw err;
  }
  return server;
}
