// The table Terminus prints: Symfony Console's Table in the "consolidation" style of
// consolidation/output-formatters (dashes for borders, spaces for the rest), columns as
// wide as their widest cell in terminal columns, as mb_strwidth counts them.
import { printable } from './table.js';

// East Asian wide and fullwidth ranges, which mb_strwidth counts as 2 columns.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width += WIDE_RANGES.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return width;
}

/**
 * Headers and rows as Symfony's Table renders them; with no rows, the header alone between
 * its borders. Control characters are shown escaped (Terminus passes them to the terminal).
 */
export function renderTerminusTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => printable(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => displayWidth(row[i]!))));
  const border = ` ${widths.map((w) => '-'.repeat(w + 2)).join(' ')} \n`;
  const line = (row: readonly string[]) => ` ${row.map((cell, i) => ` ${cell}${' '.repeat(widths[i]! - displayWidth(cell))} `).join(' ')} \n`;
  const [head, ...body] = cells;
  return `${border}${line(head!)}${border}${body.map(line).join('')}${body.length > 0 ? border : ''}`;
}
