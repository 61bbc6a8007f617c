// Library entry of the sync-server (for tests and embedding); main.ts is the process.
export {};
