// One connection state for the whole app: the browser's network flag, the open
// conversation's sync status, and otherwise the per-user event channel.
import type { Accessor } from 'solid-js';
import { useWorkspace } from '../../state/app-context.js';
import type { ConnectionState } from '../../ui/connection-status.js';

export function useConnectionState(): Accessor<ConnectionState> {
  const ws = useWorkspace();
  return () => {
    if (!ws.online()) return 'offline';
    const active = ws.activeGroup();
    const status = active ? ws.syncStatus(active) : undefined;
    if (status === 'synced') return 'synced';
    if (status === 'offline') return 'offline';
    if (status === 'connecting' || status === 'loading') return 'connecting';
    return ws.eventsOpen() ? 'synced' : 'connecting';
  };
}
