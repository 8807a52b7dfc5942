/**
 * The load generator, in a process of its own so that its work (building requests, reading and
 * decoding every answer, its garbage) is not counted as the server's. The parent sends one load
 * description; this process runs autocannon and answers with the figures, then exits.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  /**
   * For bookings: each request a different resident, court and start, with its own Idempotency-Key;
   * after the last slot the requests start again from the first (and are answered as replays).
   */
  bookings?: { tokens: string[]; slots: { court: string; start: string }[]; keyPrefix: string };
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerAnswer: number;
  statuses: Record<string, number>;
  /** How long the load ran, in seconds. */
  seconds: number;
  /** CPU time this process spent, in ms. */
  cpu: number;
}

function run(request: LoadRequest): Promise<LoadResult> {
  const statuses = new Map<number, number>();
  const onResponse = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const bookings = request.bookings;
  // Every booking request is written before the clock starts, so the generator's own work during the
  // run is only sending and reading.
  const prepared = bookings?.slots.map((slot, i) => {
    const start = new Date(slot.start);
    return {
      method: 'POST' as const,
      headers: {
        'content-type': 'application/json',
        authorization: bookings.tokens[i % bookings.tokens.length]!,
        'idempotency-key': `${bookings.keyPrefix}-${i}`,
      },
      body: JSON.stringify({ resourceId: slot.court, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() }),
    };
  });
  let n = 0;
  const options: autocannon.Options = {
    url: request.url,
    connections: request.connections,
    duration: request.duration,
    ...(request.headers ? { headers: request.headers } : {}),
    requests: [
      prepared
        ? { method: 'POST', setupRequest: (req) => ({ ...req, ...prepared[n++ % prepared.length]! }), onResponse }
        : { method: request.method ?? 'GET', onResponse },
    ],
  };
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => {
      if (err) return reject(err);
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        requestsPerSecond: result.requests.average,
        total: result.requests.total,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        bytesPerAnswer: result.throughput.average / Math.max(1, result.requests.average),
        statuses: Object.fromEntries(statuses),
        seconds: result.duration,
        cpu: (cpu.user + cpu.system) / 1000,
      });
    });
  });
}

const self = fileURLToPath(import.meta.url);

/** Runs one load in a new load-generator process and returns its figures. */
export function generateLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(self, [], { execArgv: ['--import', 'tsx'] });
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the load generator exited with ${code}`))));
    child.send(request);
  });
}

if (process.argv[1] === self && process.send) {
  process.once('message', (request: LoadRequest) => {
    run(request).then(
      (result) => process.send!(result, () => process.exit(0)),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

/** Answers of the given statuses per second of the run: what a ratio of throughputs counts. */
export function answeredPerSecond(result: LoadResult, ...statuses: number[]): number {
  const answered = statuses.reduce((sum, status) => sum + (result.statuses[String(status)] ?? 0), 0);
  return answered / Math.max(result.seconds, 1e-9);
}
