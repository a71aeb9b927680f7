export * from './result';
export * from './errors';
export * from './time';
export * from './domain';
export * from './actions';
export * from './limits';
export * as schema from './schema';
export * from './judging';
export * from './staff';
