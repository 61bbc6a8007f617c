// Attention: the unread total in the title and the app badge, and (with permission) a
// system notification for new messages in conversations not on screen or while the tab
// is hidden (in a muted conversation only for a mention of me). Notifications carry no
// message text from the event channel (it has none).
/* eslint-disable solid/reactivity -- a state factory: its callbacks run on Yjs, network
   and DOM events, where reading signals untracked is intended. */
import { createEffect, createSignal, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { Workspace } from './workspace.js';
import { log } from '../log.js';

const logger = log.child('notify');

export type PermissionState = 'unsupported' | NotificationPermission;

export function createNotifier(
  ws: Workspace,
  title: (groupId: string) => string,
  open: (groupId: string) => void,
): { permission: Accessor<PermissionState>; request(): Promise<void> } {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = createSignal<PermissionState>(
    supported ? Notification.permission : 'unsupported',
  );

  createEffect(() => {
    const n = ws.totalUnread();
    document.title = n > 0 ? `(${n}) Canopy` : 'Canopy';
    const nav = navigator as Navigator & {
      setAppBadge?: (n?: number) => Promise<void>;
      clearAppBadge?: () => Promise<void>;
    };
    const done = n > 0 ? nav.setAppBadge?.(n) : nav.clearAppBadge?.();
    done?.catch((err: unknown) => logger.debug('app badge unavailable', { err: String(err) }));
  });

  const off = ws.onUserEvent((event) => {
    if (event.type !== 'activity' || !event.messageId || event.authorId === ws.me.id) return;
    // An edit or deletion is no new message; an edit that now mentions me is.
    if (event.change && !(event.change === 'edit' && event.mention)) return;
    const onScreen = ws.activeGroup() === event.groupId && document.visibilityState === 'visible';
    if (onScreen || permission() !== 'granted') return;
    if (ws.mutes.isMuted(event.groupId) && !event.mention) return;
    try {
      const who = event.authorId ? ws.userName(event.authorId) : 'Someone';
      const n = new Notification(title(event.groupId), {
        body: event.mention ? `${who} mentioned you` : `New message from ${who}`,
        tag: event.groupId,
        icon: '/icons/icon-192.png',
      });
      n.onclick = () => {
        window.focus();
        open(event.groupId);
        n.close();
      };
    } catch (err) {
      // Some platforms only allow notifications from a service worker.
      logger.debug('cannot show a notification', { err: String(err) });
    }
  });
  onCleanup(off);

  return {
    permission,
    async request() {
      if (!supported) return;
      setPermission(await Notification.requestPermission());
    },
  };
}
