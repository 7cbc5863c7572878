/**
 * Generates docs/configuration.md from the JSDoc of the public option types, so the reference
 * cannot drift from the code: `tests/config-reference.test.ts` regenerates it and compares.
 *
 *   pnpm exec tsx scripts/config-reference.ts          # rewrite docs/configuration.md
 *   pnpm exec tsx scripts/config-reference.ts --check  # exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { SENTINEL_ONLY_OPTIONS } from '../packages/core/src/connector/sentinel-only.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const referencePath = `${root}docs/configuration.md`;

/** The option types a user writes, in the order a reader meets them. */
const SECTIONS: { title: string; file: string; type: string; intro: string }[] = [
  {
    title: 'Cache entry (`CACHES[alias]`)',
    file: 'packages/core/src/cache/cache-config.ts',
    type: 'CacheConfig',
    intro: 'One entry of the config given to `createCaches`/`createCache`: Django’s `CACHES[alias]`.',
  },
  {
    title: 'Cache options (`CACHES[alias].options`)',
    file: 'packages/core/src/cache/cache-config.ts',
    type: 'CacheOptions',
    intro:
      'Django’s `OPTIONS`. Timeouts here are milliseconds (socket and sentinel); cache timeouts are seconds.',
  },
  {
    title: 'getOrSet (`options.getOrSet`, or per call: `cache.getOrSet(key, producer, timeout, options)`)',
    file: 'packages/core/src/cache/cache-config.ts',
    type: 'GetOrSetOptions',
    intro: 'How a miss is filled and a hit near expiry refreshed. A call’s options override the cache’s.',
  },
  {
    title: 'getOrSet lock (`lock: { … }`)',
    file: 'packages/core/src/cache/cache-config.ts',
    type: 'GetOrSetLockOptions',
    intro: '`lock: true` is `lock: {}`: every field at its default.',
  },
  {
    title: 'Near cache (`options.nearCache: { … }`)',
    file: 'packages/core/src/cache/cache-config.ts',
    type: 'NearCacheOptions',
    intro: '`nearCache: true` is `nearCache: {}`: every bound at its default.',
  },
  {
    title: 'Connector (`createConnector`)',
    file: 'packages/core/src/connector/connector-options.ts',
    type: 'ConnectorOptions',
    intro: 'A connection to one topology and db. `createCaches` builds these from the cache options above.',
  },
  {
    title: 'Sentinel admin (`connector.sentinels()`, `new SentinelAdmin`)',
    file: 'packages/core/src/sentinel/sentinel-admin.ts',
    type: 'SentinelAdminOptions',
    intro: 'Talks to the sentinels’ own port, never the data port.',
  },
  {
    title: 'NestJS module (`SentinelCacheModule.forRoot`)',
    file: 'packages/nestjs/src/sentinel-cache-module.options.ts',
    type: 'SentinelCacheModuleOptions',
    intro: '`forRootAsync({ imports, useFactory, inject })` resolves to the same object.',
  },
  {
    title: 'Keyv store (`new KeyvSentinelStore`)',
    file: 'packages/keyv/src/keyv-sentinel-store.types.ts',
    type: 'KeyvSentinelStoreCachesOptions',
    intro: 'Or `{ cache }` instead of `{ caches, alias }`. Keyv speaks milliseconds; the store converts.',
  },
  {
    title: 'Session store (`new SentinelSessionStore`)',
    file: 'packages/express-session/src/types.ts',
    type: 'SessionStoreCachesOptions',
    intro: 'Or `{ cache }` instead of `{ caches, alias }`: Django’s `SESSION_CACHE_ALIAS`.',
  },
  {
    title: 'Test topology (`startTopology`)',
    file: 'packages/testkit/src/topology.ts',
    type: 'TopologyOptions',
    intro: 'The embedded topology of the tests, demos and benchmarks.',
  },
];

/** The sections whose options include the connector's, where sentinel-only ones are marked. */
const CONNECTOR_SECTIONS = new Set(['CacheOptions', 'ConnectorOptions']);
const SENTINEL_ONLY: ReadonlySet<string> = new Set(SENTINEL_ONLY_OPTIONS);
const SENTINEL_ONLY_NOTE =
  '**Sentinel only:** refused on a Redis Cluster location (`InvalidCacheConfigError`), not ignored.';

export interface OptionDoc {
  name: string;
  type: string;
  optional: boolean;
  doc: string;
}

const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** Every property of each documented type, with its declared type text and JSDoc. */
export function collectOptions(): Map<string, OptionDoc[]> {
  const files = SECTIONS.map((s) => `${root}${s.file}`);
  const program = ts.createProgram(files, {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, OptionDoc[]>();
  for (const section of SECTIONS) {
    const source = program.getSourceFile(`${root}${section.file}`);
    if (!source) throw new Error(`config-reference: ${section.file} does not exist`);
    const declaration = source.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === section.type,
    );
    if (!declaration) throw new Error(`config-reference: ${section.file} has no interface ${section.type}`);
    const type = checker.getTypeAtLocation(declaration);
    const options = checker.getPropertiesOfType(type).map((symbol): OptionDoc => {
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      const typeNode = decl && ts.isPropertySignature(decl) ? decl.type : undefined;
      const tags = symbol
        .getJsDocTags(checker)
        .filter((t) => t.name === 'default')
        .map((t) => `Default: ${ts.displayPartsToString(t.text)}.`);
      return {
        name: symbol.name,
        type: typeNode ? typeNode.getText() : checker.typeToString(checker.getTypeOfSymbol(symbol)),
        optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
        doc: [ts.displayPartsToString(symbol.getDocumentationComment(checker)), ...tags].join(' ').trim(),
      };
    });
    result.set(section.type, options);
  }
  return result;
}

export function renderReference(): string {
  const options = collectOptions();
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated by `pnpm exec tsx scripts/config-reference.ts` from the JSDoc of the types; do not edit. -->',
    '',
    'Units: cache timeouts (`timeout`, `touch`, session `ttl`) are **seconds**, as in Django; socket, sentinel',
    'and failover timeouts are **milliseconds**, as in ioredis. Each row says which.',
    '',
    'A `redis+cluster://` location takes every option but those marked **Sentinel only**, which it refuses',
    'instead of ignoring; the few other options a cluster cannot honour say so in their row.',
  ];
  for (const section of SECTIONS) {
    lines.push(
      '',
      `## ${section.title}`,
      '',
      section.intro,
      '',
      '| option | type | meaning and default |',
      '|---|---|---|',
    );
    for (const option of options.get(section.type) ?? []) {
      const name = option.optional ? `\`${option.name}\`` : `\`${option.name}\` (required)`;
      const sentinelOnly = CONNECTOR_SECTIONS.has(section.type) && SENTINEL_ONLY.has(option.name);
      const doc = sentinelOnly ? `${SENTINEL_ONLY_NOTE} ${option.doc}` : option.doc;
      lines.push(`| ${name} | \`${cell(option.type)}\` | ${cell(doc) || '—'} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderReference();
  if (process.argv.includes('--check')) {
    const current = readFileSync(referencePath, 'utf8');
    if (current !== text) {
      console.error('docs/configuration.md is out of date: run pnpm exec tsx scripts/config-reference.ts');
      process.exit(1);
    }
  } else {
    writeFileSync(referencePath, text);
    console.log(`wrote ${referencePath}`);
  }
}
