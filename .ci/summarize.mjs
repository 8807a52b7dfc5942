// Sums the test reports of one CI run into the closing line "N passed, N failed".
// A step that failed without a report (lint, build, a crash) counts as one failure, so a red run can
// never print "0 failed".
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, failedStepsArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const read = (name) => {
  const file = path.join(dir, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};

for (const name of ['vitest-pglite.json', 'vitest-postgres.json', 'vitest-ops.json']) {
  const report = read(name);
  if (!report) continue;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  console.log(`::: ${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
const playwright = read('playwright.json');
if (playwright) {
  const { expected = 0, unexpected = 0, flaky = 0 } = playwright.stats;
  passed += expected;
  failed += unexpected + flaky;
  console.log(`::: playwright: ${expected} passed, ${unexpected + flaky} failed`);
}
const failedSteps = Number(failedStepsArg ?? 0);
if (failedSteps > 0 && failed === 0) failed = failedSteps;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedSteps > 0 ? 1 : 0);
