/**
 * database/collections.json: the collections and indexes shipped for deployment, loaded by the
 * engine at open.
 *
 * Format: `{ "collections": { "<name>": { "indexes": [ { "name": "...", "keys": { "field": 1, "other": -1 }, "unique": false } ] } } }`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexSpec } from './collection';

export interface CollectionsConfig {
  /** null: no file, every collection name is allowed (created on first write). */
  collections: Map<string, IndexSpec[]> | null;
  file: string | null;
}

/** `database/collections.json` of the first ancestor folder of this module that has one. */
export function defaultCollectionsFile(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'database', 'collections.json');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function bad(file: string, msg: string): never {
  throw new Error(`${file}: ${msg}`);
}

/** A loose sanity rule (the cloud's exact rule is not documented here): no `$`, `.`, `/`, spaces. */
export const COLLECTION_NAME = /^[^\s$./\\]{1,128}$/;

export function loadCollectionsConfig(file: string | null | undefined): CollectionsConfig {
  const f = file === undefined ? defaultCollectionsFile() : file;
  if (f === null || f === undefined || f === '') return { collections: null, file: null };
  const raw = JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad(f, 'must be an object');
  const colls = (raw as { collections?: unknown }).collections;
  if (colls === null || typeof colls !== 'object' || Array.isArray(colls)) bad(f, '"collections" must be an object');
  const out = new Map<string, IndexSpec[]>();
  for (const [name, def] of Object.entries(colls as Record<string, unknown>)) {
    if (!COLLECTION_NAME.test(name)) bad(f, `invalid collection name ${JSON.stringify(name)}`);
    const specs: IndexSpec[] = [];
    const indexes = def !== null && typeof def === 'object' ? (def as { indexes?: unknown }).indexes : undefined;
    if (indexes !== undefined) {
      if (!Array.isArray(indexes)) bad(f, `${name}.indexes must be an array`);
      const names = new Set<string>();
      for (const ix of indexes as unknown[]) {
        if (ix === null || typeof ix !== 'object') bad(f, `${name}: an index must be an object`);
        const { name: ixName, keys, unique } = ix as { name?: unknown; keys?: unknown; unique?: unknown };
        if (typeof ixName !== 'string' || ixName === '') bad(f, `${name}: an index needs a name`);
        if (names.has(ixName)) bad(f, `${name}: duplicate index name ${ixName}`);
        names.add(ixName);
        if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) bad(f, `${name}.${ixName}: keys must be an object`);
        const fields: Array<[string, 1 | -1]> = [];
        for (const [field, dir] of Object.entries(keys as Record<string, unknown>)) {
          if (dir !== 1 && dir !== -1) bad(f, `${name}.${ixName}: key ${field} must be 1 or -1`);
          if (field === '' || field.startsWith('$')) bad(f, `${name}.${ixName}: invalid field ${JSON.stringify(field)}`);
          fields.push([field, dir]);
        }
        if (fields.length === 0) bad(f, `${name}.${ixName}: no keys`);
        if (unique !== undefined && typeof unique !== 'boolean') bad(f, `${name}.${ixName}: unique must be a boolean`);
        specs.push({ name: ixName, fields, unique: unique === true });
      }
    }
    out.set(name, specs);
  }
  return { collections: out, file: f };
}
