// The sync-server's one logger. Namespaced children per module: `log.child({ mod: 'relay' })`.
// Never log tokens, cookies, passwords or message text; log ids, sizes and codes.
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { svc: 'canopy' },
    redact: {
      paths: ['req.headers.cookie', 'headers.cookie', '*.password', '*.token', '*.text'],
      censor: '[redacted]',
    },
  });
}
