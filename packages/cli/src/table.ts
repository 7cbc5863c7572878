// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what this strips.
const ANSI = /\u001b\[[0-9;]*m/g;
const width = (text: string): number => text.replace(ANSI, '').length;

/** Left-aligned columns, two spaces apart; widths ignore colour codes so coloured cells line up. */
export function renderTable(header: string[], rows: string[][], indent = '  '): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => width(row[col] ?? ''))));
  return all
    .map((row) =>
      (
        indent +
        row
          .map((cell, col) =>
            col === row.length - 1 ? cell : cell + ' '.repeat((widths[col] ?? 0) - width(cell)),
          )
          .join('  ')
      ).trimEnd(),
    )
    .join('\n');
}
