// The conversation's header: its title, a group's topic, and who is there (for a DM the
// other person's handle and presence, for a group the member count, how many are online
// and who), the connection state on phones, and the controls: star (listed first in the
// sidebar), mark as unread, notifications (mute), the pinned messages when there are any,
// search, and a group's settings (a DM's details). The panels themselves belong to the page, which says
// which one is open.
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import { useWorkspace } from '../../state/app-context.js';
import type { Conversation } from '../../state/conversation.js';
import { ConnectionStatus } from '../../ui/connection-status.js';
import { PinIcon, SearchIcon, SettingsIcon, StarIcon, UnreadIcon } from '../../ui/line-icon.js';
import { useConnectionState } from '../sidebar/connection-state.js';
import { otherMember } from '../sidebar/group-title.js';
import { MuteControl } from './mute-control.js';

export type HeaderPanel = 'search' | 'pins';

export function ConversationHeader(props: {
  conv: Conversation;
  title: string;
  /** the panel open under the header */
  panel: HeaderPanel | null;
  pinCount: number;
  /** a panel's button was pressed (open it, or close it if it is open) */
  onPanel: (panel: HeaderPanel) => void;
  /** "Mark as unread": the page marks it and leaves */
  onMarkUnread: () => void;
}): JSX.Element {
  const ws = useWorkspace();
  const conv = props.conv; // eslint-disable-line solid/reactivity -- one conversation per page
  const group = (): ReturnType<typeof ws.group> => ws.group(conv.groupId);
  const connection = useConnectionState();
  const onlineIds = (): string[] => [...conv.peers().keys()];
  const presence = (): string => {
    const g = group();
    if (!g) return '';
    if (g.kind === 'dm') {
      const other = otherMember(ws, g);
      const profile = other ? ws.user(other) : undefined;
      const handle = profile ? `@${profile.username} · ` : '';
      return handle + (other && conv.peers().has(other) ? 'Online' : 'Offline');
    }
    const online = g.members.filter((m) => m.userId === ws.me.id || onlineIds().includes(m.userId));
    const n = g.members.length;
    return `${n} ${n === 1 ? 'member' : 'members'}, ${online.length} online`;
  };
  const starred = (): boolean => ws.flags.has('star', conv.groupId);
  const onlineNames = (): string => [...conv.peers().keys()].map((u) => ws.userName(u)).join(', ');

  return (
    <header class="conversation-header">
      <A href="/" class="back-link" aria-label="Back to conversations">
        ←
      </A>
      <div class="conversation-title">
        <h1>{props.title}</h1>
        <Show when={group()?.topic}>
          {(topic) => (
            <p class="conversation-topic" title={topic()}>
              {topic()}
            </p>
          )}
        </Show>
        <p class="muted" aria-label="Presence" title={onlineNames()}>
          {presence()}
          <Show when={group()?.kind === 'group' && onlineNames()}>
            <span class="online-names"> · {onlineNames()}</span>
          </Show>
        </p>
      </div>
      {/* Phones hide the sidebar; this copy (display:none on wide screens) keeps the
          connection state visible there. */}
      <span class="header-connection">
        <ConnectionStatus state={connection()} />
      </span>
      <button
        type="button"
        class="ghost header-icon-button"
        aria-label="Star"
        title={starred() ? 'Starred: listed first' : 'Star: list it first'}
        aria-pressed={starred()}
        onClick={() => ws.flags.set('star', conv.groupId, !starred())}
      >
        <StarIcon filled={starred()} />
      </button>
      <button
        type="button"
        class="ghost header-icon-button"
        aria-label="Mark as unread"
        title="Mark as unread"
        onClick={() => props.onMarkUnread()}
      >
        <UnreadIcon />
      </button>
      <Show when={!ws.isPending(conv.groupId)}>
        <MuteControl groupId={conv.groupId} />
      </Show>
      <Show when={props.pinCount > 0}>
        <button
          type="button"
          class="ghost header-icon-button"
          title="Pinned messages"
          aria-pressed={props.panel === 'pins'}
          onClick={() => props.onPanel('pins')}
        >
          <PinIcon />
          <span class="visually-hidden">Pinned messages: </span>
          {props.pinCount}
        </button>
      </Show>
      <button
        type="button"
        class="ghost header-icon-button"
        aria-label="Search messages"
        title="Search messages"
        aria-pressed={props.panel === 'search'}
        onClick={() => props.onPanel('search')}
      >
        <SearchIcon />
      </button>
      <Show when={group()?.kind}>
        {(kind) => (
          <A
            href={`/g/${conv.groupId}/settings`}
            class="button ghost header-icon-button"
            aria-label={kind() === 'group' ? 'Group settings' : 'Conversation details'}
            title={kind() === 'group' ? 'Group settings' : 'Conversation details'}
          >
            <SettingsIcon />
          </A>
        )}
      </Show>
    </header>
  );
}
