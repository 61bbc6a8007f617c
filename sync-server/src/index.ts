// Library entry of the sync-server (for tests, benchmarks and embedding); main.ts is the process.
export { startServer } from './server.js';
export type { RunningServer, StartServerOptions } from './server.js';
export { loadConfig, ConfigError } from './config.js';
export type { Config } from './config.js';
export { createApp } from './app.js';
export type { AppDeps } from './app.js';
export { openDatabase } from './db/open-database.js';
export { createServices } from './http/services.js';
export type { Services } from './http/services.js';
export { createLogger } from './log.js';
export type { Logger } from './log.js';
