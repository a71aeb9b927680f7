/**
 * The local cloud's database engine (docs/ARCHITECTURE.md, "The engine interface").
 * See engine.ts for the actions and semantics, wire.ts for the HTTP encoding, log.ts for durability.
 */
export { Engine, type EngineOptions, type EngineStats, newDocId, TRANSACTION_TIMEOUT_MS, DEFAULT_LIMIT, MAX_LIMIT, DEFAULT_AGGREGATE_LIMIT } from './engine';
export { EngineError, ErrorCodes, type ErrorCode, isEngineError } from './errors';
export { responseBody, errorBody } from './wire';
export { parseEJSON, stringifyEJSON } from './ejson';
