// The page's side of the catch-up worker (catch-up.worker.ts): which groups it follows, and
// their summaries as it reports them. Without workers (some test environments) it does
// nothing, and the sidebar lives on hints as before.
import type { GroupId, UserId } from '@canopy/shared';
import type { CatchUpCommand, CatchUpReport } from './catch-up-protocol.js';
import type { GroupSummary } from './local-cache.js';
import { defaultSyncUrl } from './group-sync.js';
import { log } from '../log.js';

const logger = log.child('catch-up');

export interface CatchUp {
  /** Brings the group's copy up to date, and follows it while it is among the latest asked. */
  follow(groupId: GroupId): void;
  /** The page opened the group itself. */
  drop(groupId: GroupId): void;
  /** Whether the worker is following the group (its summaries come from the document). */
  follows(groupId: GroupId): boolean;
  destroy(): void;
}

export interface CatchUpOptions {
  user: { id: UserId; username: string };
  onSummary(groupId: GroupId, summary: GroupSummary): void;
  syncUrl?: string;
}

export function makeCatchUp(options: CatchUpOptions): CatchUp {
  const following = new Set<GroupId>();
  let worker: Worker | null = null;
  if (typeof Worker !== 'undefined') {
    worker = new Worker(new URL('./catch-up.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<CatchUpReport>) => {
      const report = event.data;
      if (report.type === 'summary') {
        following.add(report.groupId);
        options.onSummary(report.groupId, report.summary);
      } else following.delete(report.groupId);
    };
    worker.onerror = (event) => logger.warn('the catch-up worker failed', { err: event.message });
  }
  const command = (c: CatchUpCommand): void => worker?.postMessage(c);
  command({ type: 'start', user: options.user, syncUrl: options.syncUrl ?? defaultSyncUrl() });
  return {
    follow: (groupId) => command({ type: 'follow', groupId }),
    drop(groupId) {
      following.delete(groupId);
      command({ type: 'drop', groupId });
    },
    follows: (groupId) => following.has(groupId),
    destroy() {
      worker?.terminate();
      worker = null;
      following.clear();
    },
  };
}
