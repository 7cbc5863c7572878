import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { CacheConfig } from '@sentinel-kit/core';
import { SentinelCacheModule } from '@sentinel-kit/nestjs';
import { CatalogController } from './catalog.controller.js';
import { CounterController } from './counter.controller.js';
import { HealthController } from './health.controller.js';
import { SentinelsController } from './sentinels.controller.js';

@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: Nest dynamic modules are classes with static factories.
export class AppModule {
  /** The demo app on the given `CACHES` (they must define `default` and `hp`). */
  static forCaches(caches: Record<string, CacheConfig>): DynamicModule {
    return {
      module: AppModule,
      imports: [SentinelCacheModule.forRoot({ caches, isGlobal: true }), TerminusModule],
      controllers: [CatalogController, CounterController, SentinelsController, HealthController],
    };
  }
}
