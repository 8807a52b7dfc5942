import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_SPACES, MIGRATIONS_FOLDER } from '@sports/db';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

/**
 * The SQL functions the migrations define and the TypeScript that calls them cannot drift apart:
 * every function exists once in `pg_proc` (a changed signature was replaced, not added beside the
 * old one), every call in the API's source passes as many arguments as the function takes, each cast
 * to the type `pg_proc` gives, and the advisory lock spaces of `lock_space` are `LOCK_SPACES`.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Names of the functions the migrations create (a later migration may replace one). */
function definedFunctions(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8');
    for (const m of text.matchAll(/CREATE (?:OR REPLACE )?FUNCTION (\w+)\s*\(/gi)) names.add(m[1]!.toLowerCase());
  }
  return [...names].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The arguments of a call written at `open` (the index of its opening parenthesis), split at top-level commas. */
function callArguments(text: string, open: number): string[] | undefined {
  let depth = 0;
  let current = '';
  const args: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '{' || c === '[') {
      depth++;
      if (depth === 1) continue;
    } else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        if (current.trim() || args.length > 0) args.push(current.trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  return undefined;
}

/** The type an argument is cast to at its end (`$1::uuid`, `${now}::timestamptz`), if it is cast. */
const castOf = (arg: string) => /::\s*([a-z_]+)\s*$/i.exec(arg)?.[1]?.toLowerCase();

describe('SQL functions and their callers', () => {
  it('every function the migrations define exists once, and every call from the API matches its signature', async () => {
    const defined = definedFunctions();
    expect(defined).toEqual(expect.arrayContaining(['booking_facts', 'reserve_checked', 'resident_standing', 'standing_refusal', 'lock_space']));
    const procs = await rows<{ name: string; args: string; types: string[] }>(sql`
      select p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
             array(select coalesce(bt.typname, t.typname)::text
                     from unnest(p.proargtypes) with ordinality a(oid, n)
                     join pg_type t on t.oid = a.oid
                     left join pg_type bt on bt.oid = t.typbasetype and t.typtype = 'd'
                    order by a.n) as types
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.proname = any(string_to_array(${defined.join(',')}, ','))`);
    const byName = new Map<string, { args: string; types: string[] }[]>();
    for (const p of procs) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    for (const name of defined) expect(byName.get(name)?.length, `${name} in pg_proc`).toBe(1);

    const alias: Record<string, string> = { int4: 'int', int8: 'bigint', float8: 'float8', timestamptz: 'timestamptz', text: 'text', uuid: 'uuid', date: 'date', jsonb: 'jsonb', tstzrange: 'tstzrange' };
    const sameType = (cast: string, pgType: string) => cast === pgType || cast === alias[pgType] || (cast === 'integer' && pgType === 'int4');
    let calls = 0;
    for (const file of [...sourceFiles(path.join(ROOT, 'apps/api/src')), ...sourceFiles(path.join(ROOT, 'bench'))]) {
      const text = readFileSync(file, 'utf8');
      for (const name of defined) {
        for (const m of text.matchAll(new RegExp(`\\b${name}\\s*\\(`, 'g'))) {
          // a comment naming the function is not a call
          const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index).trim();
          if (line.startsWith('*') || line.startsWith('//') || line.startsWith('/*')) continue;
          const args = callArguments(text, m.index + m[0].length - 1);
          if (!args) continue;
          const proc = byName.get(name)![0]!;
          const where = `${path.relative(ROOT, file)}: ${name}(${args.join(', ')})`;
          expect(args.length, where).toBe(proc.types.length);
          args.forEach((arg, i) => {
            const cast = castOf(arg);
            expect(cast, `${where}: argument ${i + 1} is cast`).toBeDefined();
            expect(sameType(cast!, proc.types[i]!), `${where}: argument ${i + 1} is ${cast}, the function takes ${proc.types[i]}`).toBe(true);
          });
          calls++;
        }
      }
    }
    // booking_facts and reserve_checked from the booking, resident_standing from the standing read
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('the lock spaces of lock_space are LOCK_SPACES, and no two share a number', async () => {
    const names = Object.keys(LOCK_SPACES);
    const found = await rows<{ name: string; space: number | null }>(sql`select n as name, lock_space(n) as space from unnest(string_to_array(${names.join(',')}, ',')) n`);
    expect(Object.fromEntries(found.map((f) => [f.name, f.space]))).toEqual(LOCK_SPACES);
    expect(new Set(Object.values(LOCK_SPACES)).size).toBe(names.length);
    const [unknown] = await rows<{ space: number | null }>(sql`select lock_space('no_such_space') as space`);
    expect(unknown!.space).toBeNull();
  });

  it('the API takes advisory locks only through the registry', () => {
    const offenders = sourceFiles(path.join(ROOT, 'apps/api/src')).filter((file) => /pg_(try_)?advisory_xact_lock/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
