import type { NodeAddress } from '@sentinel-kit/core';

/** `host:port`, IPv6 hosts in brackets. */
export const address = (node: NodeAddress): string =>
  node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;

/** Milliseconds as `850 ms` or `1.24 s`. */
export const duration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;

/** `HH:MM:SS.mmm` in local time: what an operator compares with their other logs. */
export const clock = (at: Date): string =>
  `${[at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')}.${String(at.getMilliseconds()).padStart(3, '0')}`;

/** Bytes as `0 B`, `12.3 KiB`, `4.0 MiB`. */
export const bytes = (n: number): string => {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
};
