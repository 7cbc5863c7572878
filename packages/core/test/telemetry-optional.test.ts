import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

let server: Standalone;
beforeAll(async () => {
  server = await startStandalone();
});
afterAll(async () => {
  await server?.stop();
});

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function runChild(location: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        here('./without-otel-hook.cjs'),
        '--import',
        'tsx',
        here('./without-otel-child.ts'),
        location,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('core loads and serves calls when @opentelemetry/api is not installed', async () => {
  const { code, stdout, stderr } = await runChild(server.location);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  // It did look for the API (so the hook was in its way), and went on without it.
  const { attempts, ...served } = JSON.parse(stdout);
  expect(served).toEqual({ value: { a: 1 }, missing: 'fallback' });
  expect(attempts).toBeGreaterThan(0);
});
