// The per-user event channel: an EventSource on /api/events whose `data:` lines are
// UserEvent JSON (named by type). Parsed here; malformed events are dropped and logged.
// EventSource reconnects by itself; `onState` reports whether the stream is open.
import { USER_EVENT_TYPES, userEventSchema } from '@canopy/shared';
import type { UserEvent } from '@canopy/shared';
import { log } from '../log.js';

const logger = log.child('events');

export interface EventStream {
  close(): void;
}

export function openEventStream(
  onEvent: (event: UserEvent) => void,
  onState: (open: boolean) => void,
  url = '/api/events',
): EventStream {
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let delay = 1000;

  const handle = (e: MessageEvent<unknown>): void => {
    let json: unknown;
    try {
      json = JSON.parse(String(e.data));
    } catch {
      logger.warn('dropping an event that is not JSON');
      return;
    }
    const parsed = userEventSchema.safeParse(json);
    if (!parsed.success) {
      logger.warn('dropping an event with an unexpected shape');
      return;
    }
    onEvent(parsed.data);
  };

  const connect = (): void => {
    if (closed) return;
    const es = new EventSource(url, { withCredentials: true });
    source = es;
    es.onopen = () => {
      delay = 1000;
      onState(true);
    };
    es.onmessage = handle;
    for (const type of USER_EVENT_TYPES) es.addEventListener(type, handle as EventListener);
    es.onerror = () => {
      onState(false);
      // A CLOSED source (e.g. 401) does not retry by itself: back off and reopen.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        source = null;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      }
    };
  };
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(retry);
      source?.close();
    },
  };
}
