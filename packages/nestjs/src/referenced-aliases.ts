/**
 * Aliases named by `@InjectCache`, `@InjectCacheManager` and `@InjectRedis` anywhere in the process.
 *
 * Nest needs a provider for every token before it can report anything, so `forRootAsync` (whose
 * config is only known at runtime) registers one per alias seen here. Decorators run when their
 * class is defined, which for statically imported modules is before `forRoot*()` is called.
 */
const referenced = new Set<string>();

export function recordAlias(alias: string): void {
  referenced.add(alias);
}

export function referencedAliases(): string[] {
  return [...referenced];
}
