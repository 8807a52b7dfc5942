import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A landed migration never changes: a database that ran it will not run it again, so an edit would
 * leave deployed databases and new ones different. A change of schema, or of an SQL function
 * (`CREATE OR REPLACE`), is a new migration. This reads the repository's history: no commit may
 * modify a migration's SQL or snapshot after it was added, and the working tree may not either.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

/**
 * Edits made before anything was deployed, each named with its reason. Nothing may join this list:
 * a fault in a landed migration is corrected by the next one.
 */
const BEFORE_ANY_DEPLOYMENT: Record<string, string[]> = {
  e79fb56: ['migrations/0010_kpi_rollups.sql', 'migrations/meta/0010_snapshot.json'], // monthly rollups folded into the unreleased 0010
  '77c6f0e': ['migrations/0010_kpi_rollups.sql', 'migrations/meta/0010_snapshot.json'], // the same, with the audit log of issue 7
};

const LANDED = /^migrations\/(\d{4}_[\w-]+\.sql|meta\/\d{4}_snapshot\.json)$/;

describe('landed migrations never change', () => {
  it('the history has every commit (not a shallow clone)', () => {
    expect(git('rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('no commit modified a migration after adding it', () => {
    const log = git('log', '--format=@%h', '--diff-filter=MRD', '--name-only', '--', 'migrations');
    const edits: string[] = [];
    let commit = '';
    for (const line of log.split('\n').filter(Boolean)) {
      if (line.startsWith('@')) commit = line.slice(1);
      else if (LANDED.test(line) && !BEFORE_ANY_DEPLOYMENT[commit]?.includes(line)) edits.push(`${commit} ${line}`);
    }
    expect(edits, 'add a new migration instead of editing one that has landed').toEqual([]);
  });

  it('the working tree has not edited or removed one either', () => {
    const changed = git('diff', 'HEAD', '--name-only', '--diff-filter=MRD', '--', 'migrations')
      .split('\n')
      .filter((file) => LANDED.test(file));
    expect(changed, 'add a new migration instead of editing one that has landed').toEqual([]);
  });
});
