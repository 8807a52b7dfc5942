import { Problem } from '@sports/contracts';

/** Response schemas for the error statuses a route can answer with (all problem+json). */
export function problems<const S extends readonly number[]>(...statuses: S): Record<S[number], typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem])) as Record<S[number], typeof Problem>;
}

export const bearer = [{ bearer: [] }];
