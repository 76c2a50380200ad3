// The table Terminus prints: Symfony Console's Table in the "consolidation" style of
// consolidation/output-formatters (dashes for borders, spaces for the rest), columns as
// wide as their widest cell in terminal columns, counted as Symfony counts them.
import { printable } from './table.js';
import { mbStrWidth, symfonyWidth } from './terminal-width.js';

/**
 * Headers and rows as Symfony's Table renders them; with no rows, the header alone between
 * its borders. Control characters are shown escaped (Terminus passes them to the terminal).
 */
export function renderTerminusTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => printable(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => symfonyWidth(row[i] ?? ''))));
  const border = ` ${widths.map((w) => '-'.repeat(w + 2)).join(' ')} \n`;
  // Symfony pads by mb_strwidth, which counts a combining mark where the width did not: such a cell gets less padding (none below 0).
  const line = (row: readonly string[]) =>
    ` ${row.map((cell, i) => ` ${cell}${' '.repeat(Math.max(0, (widths[i] ?? 0) - mbStrWidth(cell)))} `).join(' ')} \n`;
  const [head = [], ...body] = cells;
  return `${border}${line(head)}${border}${body.map(line).join('')}${body.length > 0 ? border : ''}`;
}
