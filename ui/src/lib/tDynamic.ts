// Translation of keys built at run time (`health.codes.${code}`): the typed `t` cannot check
// them, and resolving its overloads for a large union is too deep for the compiler.
import type { TFunction } from 'i18next';

type Loose = (key: string, options?: Record<string, unknown>) => string;

/** `t(key, options)` for a key made from server data; `defaultValue` when it is unknown. */
export function tDynamic(t: TFunction, key: string, options: Record<string, unknown> = {}): string {
  return (t as unknown as Loose)(key, options);
}
