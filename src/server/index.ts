/** The BFF: `createStagingBff(options)` returns a fetch handler a Node host can mount. */
export { createStagingBff, type StagingBff, type StagingBffOptions } from './app.js';
export { loadConfig, ConfigError, type StagingConfig, PROVIDER_NAMES, type ProviderName } from './config.js';
export { jsonLogger, silentLogger, type Logger } from './logger.js';
export type { Store } from './store/types.js';
export type { Provider, ProviderTask, ProviderOutputImage, ExecutionContext } from './providers/types.js';
export { ProviderJobError } from './providers/types.js';
export { listen } from './listen.js';
