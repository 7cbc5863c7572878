import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectOptions, referencePath, renderReference } from '../scripts/config-reference.ts';

describe('docs/configuration.md', () => {
  it('is in step with the JSDoc of the option types (regenerate with scripts/config-reference.ts)', () => {
    expect(readFileSync(referencePath, 'utf8')).toBe(renderReference());
  });

  const all = [...collectOptions()].flatMap(([type, options]) =>
    options.map((o) => ({ ...o, label: `${type}.${o.name}` })),
  );
  const rows = (options: typeof all) => options.map((o): [string, string] => [o.label, o.doc]);

  it.each(rows(all.filter((o) => o.optional)))('%s documents its default', (_, doc) => {
    expect(doc).toMatch(/default/i);
  });

  const timed = all.filter(
    (o) => /(timeout|interval|delay|ttl|after)/i.test(o.name) && o.type.includes('number'),
  );
  it.each(rows(timed))('%s says its unit', (_, doc) => {
    expect(doc).toMatch(/\b(ms|milliseconds?|seconds?|s)\b/i);
  });
});
