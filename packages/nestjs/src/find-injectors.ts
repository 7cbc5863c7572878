import 'reflect-metadata';
import type { InjectionToken, Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';

/**
 * Where `@InjectCache`/`@InjectCacheManager`/`@InjectRedis` note, on the class they decorate, the
 * token it injects: this package's own metadata, read back only to name that class in an error.
 */
const INJECTED_TOKENS = 'sentinel-kit:injected-tokens';
/** TypeScript's constructor parameter types: how a class injects @nestjs/cache-manager's `Cache` by type. */
const PARAMTYPES = 'design:paramtypes';

/** Notes on the class of `target` (a constructor, or a prototype for a property) that it injects `token`. */
export function recordInjectedToken(target: object, token: string): void {
  const type = typeof target === 'function' ? target : target.constructor;
  const own = (Reflect.getOwnMetadata(INJECTED_TOKENS, type) ?? []) as string[];
  Reflect.defineMetadata(INJECTED_TOKENS, [...own, token], type);
}

interface Wrapper {
  name?: unknown;
  token?: unknown;
  metatype?: unknown;
  inject?: readonly unknown[] | null;
}

const tokenOf = (dependency: unknown): unknown =>
  dependency !== null && typeof dependency === 'object' && 'token' in dependency
    ? dependency.token
    : dependency;

function dependenciesOf(wrapper: Wrapper): unknown[] {
  // A factory (or useExisting) provider lists its tokens in `inject`.
  if (wrapper.inject) return wrapper.inject.map(tokenOf);
  const type = wrapper.metatype;
  if (typeof type !== 'function') return [];
  return [
    ...((Reflect.getMetadata(INJECTED_TOKENS, type) ?? []) as unknown[]),
    ...((Reflect.getMetadata(PARAMTYPES, type) ?? []) as unknown[]),
  ];
}

/**
 * The names of the providers, controllers and enhancers of this application that inject one of
 * `tokens` through this package's decorators, by type, or as a factory's `inject`, leaving out
 * those declared by `ownModule` itself. Only for error messages: a plain `@Inject(token)` is not
 * seen, and the module's aliases come from its config, never from here.
 */
export function findInjectors(
  container: ModulesContainer,
  tokens: readonly InjectionToken[],
  ownModule: Type,
): string[] {
  const names = new Set<string>();
  for (const module of container.values()) {
    if (module.metatype === ownModule) continue;
    for (const wrappers of [module.providers, module.controllers, module.injectables]) {
      for (const wrapper of wrappers.values() as Iterable<Wrapper>) {
        if (dependenciesOf(wrapper).some((dependency) => tokens.includes(dependency as InjectionToken))) {
          names.add(String(wrapper.name ?? wrapper.token));
        }
      }
    }
  }
  return [...names];
}
