export * from './errors';
export * from './clock';
export * from './rng';
export * from './log';
export * from './ids';
export * from './retryable';
