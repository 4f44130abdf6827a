export { loadConfig, compileConfig, ENV_OVERRIDES, type LoadConfigOptions } from './load';
export { configSchema, type RelanceConfig, type RelanceConfigInput } from './schema';
