import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The parts of a compose service this repository's docker-compose.yml uses. */
export interface ComposeService {
  image?: string;
  network_mode?: string;
  command?: string | string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  profiles?: string[];
  restart?: string;
}

export const composePath = fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url));

/** docker-compose.yml with YAML merge keys (`<<: *anchor`) applied, as Compose applies them. */
export function readCompose(): Record<string, ComposeService> {
  const doc = parse(readFileSync(composePath, 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  return doc.services;
}

/** Compose's `${VAR:-default}` → default, and `$$` → `$`: what the container sees with VAR unset. */
export const interpolate = (text: string): string =>
  text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\$/g, '$');

/** A data node's command split into arguments, quotes removed (Compose splits it like a shell). */
export function commandArgs(service: ComposeService): string[] {
  const command = service.command;
  if (typeof command !== 'string') return [];
  return [...interpolate(command).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** `--flag a b` → `['a', 'b']` (values up to the next `--flag`). */
export function flagValues(args: string[], flag: string): string[] | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const end = args.findIndex((arg, i) => i > at && arg.startsWith('--'));
  return args.slice(at + 1, end < 0 ? undefined : end);
}

/** A sentinel's shell script → the sentinel.conf it writes, with the service's environment filled in. */
export function sentinelConf(service: ComposeService): string {
  const script = Array.isArray(service.command) ? (service.command[2] ?? '') : '';
  const body = /<<EOF\n([\s\S]*?)\nEOF/.exec(script)?.[1] ?? '';
  const env = Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]),
  );
  return body.replace(/\$\$([A-Z_]+)/g, (_, name: string) => env[name] ?? `<unset ${name}>`);
}

export const isSentinel = (service: ComposeService): boolean =>
  Array.isArray(service.command) && (service.command[2] ?? '').includes('--sentinel');
export const isDataNode = (service: ComposeService): boolean => commandArgs(service)[0] === 'redis-server';

/** Started only with `docker compose --profile cluster`. */
export const inClusterProfile = (service: ComposeService): boolean =>
  service.profiles?.includes('cluster') ?? false;
