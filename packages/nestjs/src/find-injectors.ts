import 'reflect-metadata';
import type { InjectionToken, Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';

interface Wrapper {
  name?: unknown;
  token?: unknown;
  metatype?: unknown;
  inject?: readonly unknown[] | null;
  host?: { metatype?: unknown } | undefined;
}

/** Nest's metadata keys for `@Inject()` on constructor parameters and on properties. */
const SELF_DECLARED_DEPS = 'self:paramtypes';
const PROPERTY_DEPS = 'self:properties_metadata';
const PARAMTYPES = 'design:paramtypes';

const tokenOf = (dependency: unknown): unknown =>
  dependency !== null && typeof dependency === 'object' && 'token' in dependency
    ? dependency.token
    : dependency;

function dependenciesOf(wrapper: Wrapper): unknown[] {
  if (wrapper.inject) return wrapper.inject.map(tokenOf);
  const type = wrapper.metatype;
  if (typeof type !== 'function') return [];
  const declared = (Reflect.getMetadata(SELF_DECLARED_DEPS, type) ?? []) as Array<{ param: unknown }>;
  const properties = (Reflect.getMetadata(PROPERTY_DEPS, type) ?? []) as Array<{ type: unknown }>;
  const byType = (Reflect.getMetadata(PARAMTYPES, type) ?? []) as unknown[];
  return [...declared.map((d) => d.param), ...properties.map((p) => p.type), ...byType];
}

/**
 * The names of the providers, controllers and enhancers of this application that inject one of
 * `tokens`, leaving out those declared by `ownModule` itself. Used to tell an alias that this app
 * really asks for from one that only some other module in the process named.
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
