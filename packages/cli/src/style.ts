import { styleText } from 'node:util';
import type { Output } from './io.js';

type Format = Parameters<typeof styleText>[0];
// Node >= 20.19 takes a third argument that Node 20's typings lack. The CLI decides about colour
// itself (it may write to a stream other than process.stdout, and `--color` forces it), so the
// stream check is turned off.
const style = styleText as (format: Format, text: string, options: { validateStream: boolean }) => string;

/** Colours for one output stream; all identity functions when colour is off. */
export interface Style {
  ok(text: string): string;
  warn(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Colour when forced by `--color`, else on a TTY unless `NO_COLOR` is set (no-color.org). */
export function colorEnabled(
  out: Output,
  flag: boolean | undefined,
  env: Record<string, string | undefined>,
): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return out.isTTY === true;
}

export function createStyle(enabled: boolean): Style {
  const paint = (format: Format) => (text: string) =>
    enabled ? style(format, text, { validateStream: false }) : text;
  return {
    ok: paint('green'),
    warn: paint('yellow'),
    bad: paint('red'),
    dim: paint('dim'),
    bold: paint('bold'),
  };
}
