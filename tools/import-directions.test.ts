import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });
const RULE = '@typescript-eslint/no-restricted-imports';

async function directionErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('the import-direction rule (DESIGN §2)', () => {
  it.each([
    ['packages/domain/src/x.ts', "import { schema } from '@sports/db';\nexport const s = schema;\n"],
    ['packages/domain/src/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;\n"],
    ['packages/domain/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['packages/contracts/src/x.ts', "import { maskPhone } from '@sports/domain';\nexport const m = maskPhone;\n"],
    ['packages/db/src/x.ts', "import { maskPhone } from '@sports/domain';\nexport const m = maskPhone;\n"],
    ['apps/web/src/stores/x.ts', "import { schema } from '@sports/db';\nexport const s = schema;\n"],
    ['apps/web/src/pages/X.ts', "import { http } from '@/api/http';\nexport const h = http;\n"],
    ['apps/web/src/components/X.ts', "import { http } from '../api/http';\nexport const h = http;\n"],
    ['apps/api/src/services/x.ts', "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n"],
  ])('fires on a bad import in %s', async (filePath, code) => {
    const errors = await directionErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/DESIGN §2/);
  });

  it.each([
    ['packages/db/src/x.ts', "import type { StaffRole } from '@sports/domain';\nexport type R = StaffRole;\n"],
    ['apps/web/src/stores/x.ts', "import { http } from '@/api/http';\nexport const h = http;\n"],
    ['apps/web/src/pages/X.ts', "import { maskPhone } from '@sports/domain';\nexport const m = maskPhone;\n"],
    ['apps/api/src/routes/x.ts', "import { schema } from '@sports/db';\nexport const s = schema;\n"],
  ])('allows a permitted import in %s', async (filePath, code) => {
    expect(await directionErrors(filePath, code)).toEqual([]);
  });

  it.each([
    ['apps/api/src/services/x.ts', 'export const at = () => new Date();\n'],
    ['apps/api/src/services/x.ts', 'export const at = () => Date.now();\n'],
  ])('refuses a service that reads the clock: %s %s', async (filePath, code) => {
    const [result] = await eslint.lintText(code, { filePath });
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Clock injected/);
  });

  it('lets a service read a given instant', async () => {
    const [result] = await eslint.lintText('export const at = (iso: string, now: Date) => new Date(iso) < now;\n', { filePath: 'apps/api/src/services/x.ts' });
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
  });
});
