import { styleText } from 'node:util';
import type { Output } from './io.js';

type Format = Parameters<typeof styleText>[0];

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
  const paint = (format: Format) => (text: string) => (enabled ? styleText(format, text) : text);
  return {
    ok: paint('green'),
    warn: paint('yellow'),
    bad: paint('red'),
    dim: paint('dim'),
    bold: paint('bold'),
  };
}
