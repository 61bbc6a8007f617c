// The client's one logger: namespaced, level-filtered, and the only module that touches
// `console`. Callers pass structured fields; never message text, passwords or tokens.
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function minLevel(): Level {
  try {
    const stored = globalThis.localStorage?.getItem('canopy:log');
    if (stored === 'debug' || stored === 'info' || stored === 'warn' || stored === 'error') {
      return stored;
    }
  } catch {
    // localStorage can throw in private modes; fall back to the default below.
  }
  return import.meta.env.DEV ? 'debug' : 'info';
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(namespace: string): Logger;
}

export function makeLogger(namespace: string): Logger {
  const threshold = ORDER[minLevel()];
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    const line = `[canopy:${namespace}] ${msg}`;
    const args: unknown[] = fields ? [line, fields] : [line];
    if (level === 'error') console.error(...args);
    else if (level === 'warn') console.warn(...args);
    else if (level === 'info') console.info(...args);
    else console.debug(...args);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (ns) => makeLogger(`${namespace}:${ns}`),
  };
}

export const log = makeLogger('client');
