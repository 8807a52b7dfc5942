import { formatDateTime } from '@/lib/shared/format-date-time.ts';

/** One line of an audit entry's detail: a key path (`changed`, `before.weeklyHours`) and its value as text. */
export interface DetailLine {
  key: string;
  value: string;
}

/** Words for values that are not text; the page passes them in its language. */
export interface DetailWords {
  yes: string;
  no: string;
  none: string;
  /** Joins the items of a list (、 in Chinese). */
  listSeparator: string;
}

const MAX_VALUE_LENGTH = 200;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function clip(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown, words: DetailWords): string | null {
  if (value === null || value === undefined) return words.none;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? formatDateTime(value) : value;
  return null;
}

function valueText(value: unknown, words: DetailWords): string {
  const scalar = scalarText(value, words);
  if (scalar !== null) return clip(scalar);
  if (Array.isArray(value)) {
    if (value.length === 0) return words.none;
    const items = value.map((item) => scalarText(item, words));
    return clip(items.every((item) => item !== null) ? items.join(words.listSeparator) : JSON.stringify(value));
  }
  return clip(JSON.stringify(value));
}

/**
 * An audit entry's detail as key/value lines people can read: nested objects up to two levels deep become
 * `parent.child` lines (`before.weeklyHours`, `changed.status.to`), anything deeper stays compact
 * JSON; booleans, empty values and instants are written out in the page's language and time zone.
 */
export function auditDetailLines(detail: Record<string, unknown>, words: DetailWords, depth = 2): DetailLine[] {
  const lines: DetailLine[] = [];
  const walk = (value: unknown, key: string, level: number): void => {
    if (isPlainObject(value) && level < depth && Object.keys(value).length > 0) {
      for (const [child, inner] of Object.entries(value)) walk(inner, key ? `${key}.${child}` : child, level + 1);
      return;
    }
    lines.push({ key, value: valueText(value, words) });
  };
  for (const [key, value] of Object.entries(detail)) walk(value, key, 0);
  return lines;
}
