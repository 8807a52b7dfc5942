import { readdirSync, readFileSync } from 'node:fs';

/** Percentiles of a list of durations in milliseconds. */
export function percentiles(samples: number[]): { p50: number; p95: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;

/**
 * CPU time so far, in milliseconds: this process (app and load generator alike) and every
 * PostgreSQL process on the machine (read from /proc; 0 where there is none). Differences of two
 * readings divided by the requests served say what a request costs, which a busy machine disturbs
 * far less than it disturbs throughput.
 */
export function cpuTimes(): { node: number; postgres: number } {
  const { user, system } = process.cpuUsage();
  let postgres = 0;
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        postgres += (Number(fields[11]) + Number(fields[12])) * tick;
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return { node: (user + system) / 1000, postgres };
}

/** CPU per request between two readings of cpuTimes. */
export function cpuPerRequest(before: { node: number; postgres: number }, after: { node: number; postgres: number }, requests: number): string {
  return `CPU per request: node ${((after.node - before.node) / requests).toFixed(2)} ms, postgres ${((after.postgres - before.postgres) / requests).toFixed(2)} ms`;
}
