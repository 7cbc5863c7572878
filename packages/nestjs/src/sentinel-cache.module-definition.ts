import { ConfigurableModuleBuilder } from '@nestjs/common';
import type {
  SentinelCacheModuleExtras,
  SentinelCacheModuleOptions,
} from './sentinel-cache-module.options.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: SENTINEL_CACHE_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SentinelCacheModuleOptions>({ moduleName: 'SentinelCache' })
  .setClassMethodName('forRoot')
  .setExtras<SentinelCacheModuleExtras>({ isGlobal: false, aliases: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? false,
  }))
  .build();
