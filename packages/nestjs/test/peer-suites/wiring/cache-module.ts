// Stands in for @nestjs/cache-manager's own source (`lib` in its tests): the published package,
// except that a CacheModule registered without `stores` gets the store SentinelCacheModule gives
// CACHE_MANAGER — a Keyv over a Cache in the 'django' value format — where the original would use an
// in-memory Keyv. As an in-memory Keyv is new for every app the tests create, so is the store: a
// Cache with a key prefix of its own, made when the app resolves its options. Options given as a
// class (useClass) and plain register() go through the same factory.
import {
  type CacheModuleAsyncOptions,
  type CacheModuleOptions,
  type CacheOptionsFactory,
  CacheModule as NestCacheModule,
} from '@nestjs/cache-manager';
import type { DynamicModule, Type } from '@nestjs/common';
import { createKeyv } from '@sentinel-kit/keyv';
import { inject } from 'vitest';
import { cacheAt } from '../../../../keyv/test/peer-suites/wiring/peer-cache.js';

export * from '@nestjs/cache-manager';

let apps = 0;

const withStore = <T extends CacheModuleOptions>(options: T): T => {
  if (options.stores !== undefined) return options;
  apps += 1;
  return { ...options, stores: [createKeyv({ cache: cacheAt(inject('peerLocation'), `peer-app${apps}`) })] };
};

export class CacheModule extends NestCacheModule {
  static override register(options: CacheModuleOptions = {}): DynamicModule {
    const { isGlobal, ...rest } = options as CacheModuleOptions & { isGlobal?: boolean };
    return NestCacheModule.registerAsync({
      ...(isGlobal === undefined ? {} : { isGlobal }),
      useFactory: () => withStore(rest),
    });
  }

  static override registerAsync(options: CacheModuleAsyncOptions): DynamicModule {
    const { useClass, useExisting, useFactory, inject = [], extraProviders = [], ...rest } = options;
    const factoryClass = (useClass ?? useExisting) as Type<CacheOptionsFactory> | undefined;
    if (factoryClass !== undefined) {
      return NestCacheModule.registerAsync({
        ...rest,
        extraProviders: useClass === undefined ? extraProviders : [...extraProviders, useClass],
        inject: [factoryClass],
        useFactory: async (factory: CacheOptionsFactory) => withStore(await factory.createCacheOptions()),
      });
    }
    return NestCacheModule.registerAsync({
      ...rest,
      extraProviders,
      inject,
      useFactory: async (...args: unknown[]) =>
        withStore(
          await (useFactory as (...a: unknown[]) => CacheModuleOptions | Promise<CacheModuleOptions>)(
            ...args,
          ),
        ),
    });
  }
}
