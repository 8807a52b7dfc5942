import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `.ci/run` on a machine where no PostgreSQL answers on 5432 starts a throwaway cluster and must stop
 * it when it ends. This runs the script's own definitions and its own line that provides PG_URL,
 * with the local server deemed absent (a `pg_isready` first on PATH says 5432 does not answer), and checks that the cluster answered while the script ran
 * and is gone, with its folder, once the script has exited.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const PORT = 54329;

function answers(port: number): boolean {
  return spawnSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0;
}

describe('.ci/run’s throwaway PostgreSQL', () => {
  it('answers while the script runs and is stopped and removed when it exits', () => {
    expect(answers(PORT), `something already listens on ${PORT}`).toBe(false);
    const script = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    const definitions = script.slice(0, script.indexOf('need "install"'));
    const provider = script.split('\n').find((line) => /^(PG_URL=\$\(postgres_url\)|start_postgres)$/.test(line.trim()));
    expect(provider, 'the line of .ci/run that provides PG_URL').toBeDefined();

    const harness = path.join(ROOT, '.ci', `harness-${process.pid}.sh`); // beside .ci/run: it cds to "$(dirname "$0")/.."
    const fakeBin = mkdtempSync(path.join(tmpdir(), 'ci-postgres-bin-'));
    const real = execFileSync('bash', ['-c', 'command -v pg_isready'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(fakeBin, 'pg_isready'), `#!/usr/bin/env bash\ncase " $* " in *" -p 5432 "*) exit 2;; esac\nexec ${real} "$@"\n`, { mode: 0o755 });
    writeFileSync(harness, `${definitions}\n${provider}\necho "URL=$PG_URL"\npg_isready -h 127.0.0.1 -p ${PORT} && echo "ANSWERED"\nls -d /tmp/tmp.* 2>/dev/null | while read d; do [ -d "$d/data" ] && echo "DIR=$d"; done\ntrue\n`);
    try {
      const out = execFileSync('bash', [harness], { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` }, encoding: 'utf8', timeout: 120_000 });
      expect(out).toContain(`URL=postgres://postgres@127.0.0.1:${PORT}/postgres`);
      expect(out).toContain('ANSWERED');
      const folders = [...out.matchAll(/^DIR=(.+)$/gm)].map((m) => m[1]!);
      expect(answers(PORT), 'the cluster still runs after the script exited').toBe(false);
      for (const folder of folders) expect(existsSync(path.join(folder, 'data')), folder).toBe(false);
    } finally {
      rmSync(harness, { force: true });
      rmSync(fakeBin, { recursive: true, force: true });
      // never leave a cluster behind, whatever the script did
      execFileSync('bash', ['-c', `for d in /tmp/tmp.*/data; do [ -f "$d/postmaster.pid" ] && grep -q "^${PORT}$" <(sed -n 4p "$d/postmaster.pid") && runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D "$d" -m immediate stop; done; true`]);
    }
  });
});
