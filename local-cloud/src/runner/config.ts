import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S } from '../constants';
import { isRecord } from '../types';

/** A function's config.json, in WeChat's format:
 *  `{ "timeout": 20, "permissions": { "openapi": ["subscribeMessage.send"] },
 *     "triggers": [{ "name": "tick", "type": "timer", "config": "0 *\/5 * * * * *" }] }` */
export interface FunctionConfig {
  timeoutS: number;
  openapi: string[];
  timer: { name: string; cron: string } | null;
}

export class FunctionConfigError extends Error {
  override name = 'FunctionConfigError';
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** Function names as the cloud accepts them; also keeps paths inside functionsDir. */
export function isValidFunctionName(name: string): boolean {
  return NAME_RE.test(name);
}

export function parseFunctionConfig(raw: unknown, where: string): FunctionConfig {
  if (!isRecord(raw)) throw new FunctionConfigError(`${where}: config.json must be a JSON object`);
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (raw['timeout'] !== undefined) {
    const t = raw['timeout'];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_TIMEOUT_S) {
      throw new FunctionConfigError(`${where}: "timeout" must be a whole number of seconds, 1–${MAX_TIMEOUT_S}`);
    }
    timeoutS = t;
  }
  const openapi: string[] = [];
  const perms = raw['permissions'];
  if (perms !== undefined) {
    if (!isRecord(perms)) throw new FunctionConfigError(`${where}: "permissions" must be an object`);
    const list = perms['openapi'];
    if (list !== undefined) {
      if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string')) {
        throw new FunctionConfigError(`${where}: "permissions.openapi" must be an array of API names`);
      }
      openapi.push(...list);
    }
  }
  let timer: FunctionConfig['timer'] = null;
  const triggers = raw['triggers'];
  if (triggers !== undefined) {
    if (!Array.isArray(triggers)) throw new FunctionConfigError(`${where}: "triggers" must be an array`);
    if (triggers.length > 1) throw new FunctionConfigError(`${where}: a function may have one trigger only`);
    const t: unknown = triggers[0];
    if (t !== undefined) {
      if (!isRecord(t) || t['type'] !== 'timer' || typeof t['name'] !== 'string' || typeof t['config'] !== 'string') {
        throw new FunctionConfigError(`${where}: a trigger is { "name", "type": "timer", "config": "<7-field cron>" }`);
      }
      if (t['name'].length === 0 || t['name'].length > 60) {
        throw new FunctionConfigError(`${where}: trigger name must be 1–60 characters`);
      }
      timer = { name: t['name'], cron: t['config'] };
    }
  }
  return { timeoutS, openapi, timer };
}

/** Reads `<dir>/config.json`; a function without one gets the cloud's defaults. */
export function readFunctionConfig(dir: string): FunctionConfig {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { timeoutS: DEFAULT_TIMEOUT_S, openapi: [], timer: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FunctionConfigError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  return parseFunctionConfig(raw, file);
}
