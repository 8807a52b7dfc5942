import type { ErrorCode, InstantParam } from '@sports/contracts';

/** A field at fault, with the reason in each language. */
export interface FieldProblem {
  field: string;
  zh: string;
  en: string;
}

export function fieldProblem(field: string, zh: string, en: string): FieldProblem {
  return { field, zh, en };
}

/**
 * A rule said no. Services throw these; the error handler turns the code into an HTTP status and a
 * problem+json body in the caller's language.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Codes, numbers, names and moments: never words of one language (the reader's are filled in). */
    readonly params: Record<string, string | number | InstantParam> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
