/** One cell of an exported table: text as shown, a number, or nothing. */
export type CsvCell = string | number | null | undefined;

/** A table as people read it: headers in their language, rows of cells in the same order. */
export interface CsvTable {
  headers: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/** Text a spreadsheet would run as a formula (CSV injection); numbers are left alone. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: quoted when it holds a comma, quote, line break or edge space; inner quotes doubled. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  let text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : cell;
  if (typeof cell === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 text that Excel (including its Chinese edition) opens correctly: UTF-8 with a byte-order
 * mark, CRLF after every record, the header row first.
 */
export function toCsv(table: CsvTable): string {
  const lines = [table.headers, ...table.rows].map((row) => row.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** A file name safe on every system: path separators and reserved characters become `-`. */
export function csvFileName(...parts: string[]): string {
  const name = parts
    .filter(Boolean)
    .join('-')
    .replace(/[\\/:*?"<>|\s]+/g, '-')
    .replace(/-+/g, '-');
  return `${name}.csv`;
}

/** Hands a file made in the page to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the URL may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Hands the table to the browser as a CSV download. */
export function downloadCsv(fileName: string, table: CsvTable): void {
  saveFile(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), fileName);
}
