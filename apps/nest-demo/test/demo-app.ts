import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Topology } from '@sentinel-kit/testkit';
import { AppModule } from '../src/app.module.js';
import { demoCachesConfig } from '../src/demo-caches.js';

/** The demo's app module on `topology`, listening on a free loopback port; returns it and its URL. */
export async function startDemoApp(topology: Topology): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule.forCaches(demoCachesConfig(topology)), {
    logger: false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}
