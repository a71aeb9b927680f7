/**
 * The `export` function: staff's Excel exports (exports.* of the one action table), kept out of
 * `api` so it has its own timeout and memory and `api` stays lean. Same router pipeline.
 */
import { createRouter } from '../../shared/router';
import { handlers } from './handlers';

export const main = createRouter(handlers);
