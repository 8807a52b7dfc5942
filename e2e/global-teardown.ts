import { rmSync } from 'node:fs';

/** Removes the throwaway database folder the run's server used. */
export default function globalTeardown(): void {
  const dir = process.env.E2E_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
