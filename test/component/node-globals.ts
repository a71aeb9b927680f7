/**
 * What jest's jsdom environment lacks for starting the local cloud inside a component test: the
 * page needs jsdom, the local cloud a few Node globals. `structuredClone` is given as a copy made
 * in this realm (Node's own would build objects of the outer realm, which the engine's equality
 * checks mistake for class instances).
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [copy(k), copy(v)])) as T;
  if (value instanceof Set) return new Set([...value].map(copy)) as T;
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice() as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copy(v);
  return out as T;
}

export function installNodeGlobals(): void {
  const g = globalThis as { structuredClone?: <T>(v: T) => T };
  g.structuredClone ??= copy;
}
