// The sidebar: who I am (my avatar links to my profile), connection state, log out, new
// group / new DM, a filter to find a conversation by name (Ctrl+K; Enter opens the first),
// and my conversations sorted by last activity with preview, time, unread count and DM
// presence: the starred ones first, under a heading of their own. One I marked unread
// shows as unread (a dot when no message is) until I open it. "Mark all as read" (or
// Shift+Escape) reads everything.
import { A, useMatch, useNavigate } from '@solidjs/router';
import { For, Show, createMemo, createSignal, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import type { Group } from '@canopy/shared';
import { useApp, useWorkspace } from '../../state/app-context.js';
import { Avatar } from '../../ui/avatar.js';
import { BellOffIcon } from '../../ui/line-icon.js';
import { ConnectionStatus } from '../../ui/connection-status.js';
import { formatListTime } from '../../util/format.js';
import { plainText } from '../../util/formatted-text.js';
import { NewDmDialog } from '../new-group/new-dm-dialog.js';
import { NewGroupDialog } from '../new-group/new-group-dialog.js';
import { markAllRead } from '../../state/mark-all-read.js';
import { useConnectionState } from './connection-state.js';
import { matchesFilter, searchWords } from './conversation-filter.js';
import { groupTitle, otherMember } from './group-title.js';
import { LogoutButton } from './logout-button.js';
import { log } from '../../log.js';

const logger = log.child('sidebar');

export function Sidebar(): JSX.Element {
  const { session } = useApp();
  const ws = useWorkspace();
  const [dialog, setDialog] = createSignal<'group' | 'dm' | null>(null);
  const connection = useConnectionState();
  const sorted = createMemo(() =>
    [...ws.groups()].sort(
      (a, b) =>
        Number(ws.flags.has('star', b.id)) - Number(ws.flags.has('star', a.id)) ||
        (ws.summary(b.id).lastAt ?? b.createdAt) - (ws.summary(a.id).lastAt ?? a.createdAt),
    ),
  );
  const starredCount = createMemo(() => sorted().filter((g) => ws.flags.has('star', g.id)).length);
  const [query, setQuery] = createSignal('');
  const filtering = (): boolean => query().trim() !== '';
  // Built only while a filter is typed: titles, and a DM partner's username too.
  const words = createMemo(() =>
    filtering()
      ? new Map(
          ws.groups().map((g) => {
            const other = g.kind === 'dm' ? otherMember(ws, g) : undefined;
            const username = other ? ws.user(other)?.username : undefined;
            return [g.id, searchWords([groupTitle(ws, g), username ?? ''])] as const;
          }),
        )
      : null,
  );
  const shown = createMemo(() => {
    const index = words();
    return index ? sorted().filter((g) => matchesFilter(index.get(g.id) ?? [], query())) : sorted();
  });
  let filterBox!: HTMLInputElement;
  const anyUnread = createMemo(() =>
    ws.groups().some((g) => ws.summary(g.id).unread > 0 || ws.flags.has('unread', g.id)),
  );
  const readAll = (): void => {
    markAllRead(ws).catch((err: unknown) => logger.warn('mark all read', { err: String(err) }));
  };
  // Ctrl+K (⌘K) from anywhere finds a conversation; Shift+Escape reads everything.
  const onKey = (e: KeyboardEvent): void => {
    if (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      filterBox.focus();
      filterBox.select();
    } else if (e.key === 'Escape' && e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      readAll();
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  const navigate = useNavigate();
  // The session's user follows profile changes; ws.me is the user the workspace started with.
  const me = (): typeof ws.me => session.user() ?? ws.me;
  const myName = (): string => me().displayName || me().username;
  const onProfile = useMatch(() => '/profile');

  return (
    <aside class="sidebar">
      <header class="sidebar-header">
        <A
          href="/profile"
          class="sidebar-profile"
          aria-label="Profile"
          title="Profile"
          aria-current={onProfile() ? 'page' : undefined}
        >
          <Avatar id={ws.me.id} name={myName()} size={32} />
        </A>
        <div class="sidebar-me">
          <strong>{myName()}</strong>
          <ConnectionStatus state={connection()} />
        </div>
        <LogoutButton />
      </header>
      <div class="sidebar-actions">
        <button type="button" onClick={() => setDialog('group')}>
          New group
        </button>
        <button type="button" onClick={() => setDialog('dm')}>
          New message
        </button>
        <Show when={me().role === 'admin'}>
          <A href="/admin" class="button ghost">
            Administration
          </A>
        </Show>
      </div>
      <div class="conversation-filter">
        <input
          ref={filterBox}
          type="search"
          aria-label="Find a conversation"
          placeholder="Find a conversation (Ctrl+K)"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              const first = shown()[0];
              if (!first || !filtering()) return;
              e.preventDefault();
              setQuery('');
              navigate(`/g/${first.id}`);
            } else if (e.key === 'Escape') {
              setQuery('');
              e.currentTarget.blur();
            }
          }}
        />
      </div>
      <Show when={anyUnread() && !filtering()}>
        <div class="mark-all-read">
          <button type="button" class="ghost" onClick={readAll}>
            Mark all as read
          </button>
        </div>
      </Show>
      <nav aria-label="Conversations" class="group-list">
        <Show
          when={shown().length > 0}
          fallback={
            <p class="muted empty">
              {filtering() ? 'No conversation matches.' : 'No conversations yet.'}
            </p>
          }
        >
          <Show
            when={!filtering() && starredCount() > 0}
            fallback={
              <ul>
                <For each={shown()}>{(group) => <GroupListItem group={group} />}</For>
              </ul>
            }
          >
            <h2 class="group-list-heading" id="starred-heading">
              Starred
            </h2>
            <ul aria-labelledby="starred-heading">
              <For each={shown().slice(0, starredCount())}>
                {(group) => <GroupListItem group={group} />}
              </For>
            </ul>
            <Show when={shown().length > starredCount()}>
              <h2 class="group-list-heading" id="recent-heading">
                Recent
              </h2>
              <ul aria-labelledby="recent-heading">
                <For each={shown().slice(starredCount())}>
                  {(group) => <GroupListItem group={group} />}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </nav>
      <Show when={dialog() === 'group'}>
        <NewGroupDialog onClose={() => setDialog(null)} />
      </Show>
      <Show when={dialog() === 'dm'}>
        <NewDmDialog onClose={() => setDialog(null)} />
      </Show>
    </aside>
  );
}

function GroupListItem(props: { group: Group }): JSX.Element {
  const ws = useWorkspace();
  const title = (): string => groupTitle(ws, props.group);
  const summary = (): ReturnType<typeof ws.summary> => ws.summary(props.group.id);
  const match = useMatch(() => `/g/${props.group.id}/*`);
  const other = (): ReturnType<typeof otherMember> =>
    props.group.kind === 'dm' ? otherMember(ws, props.group) : undefined;
  const online = (): boolean | undefined => {
    const id = other();
    return id === undefined ? undefined : ws.isOnline(id);
  };
  const preview = (): string => {
    const s = summary();
    if (ws.isPending(props.group.id)) return 'Waiting to sync…';
    if (s.lastText === undefined) return '';
    const who = s.lastAuthorId === ws.me.id ? 'You: ' : '';
    return who + plainText(s.lastText).replace(/\s+/g, ' ').slice(0, 80);
  };
  // The name says what a screen reader needs first (title, unread, mention, muted, draft,
  // online); the time and preview, shown beside it, are its description.
  const idBase = `conversation-${props.group.id}`; // eslint-disable-line solid/reactivity -- ids do not change
  const muted = (): boolean => ws.mutes.isMuted(props.group.id);
  /** my unsent text, while I am elsewhere */
  const draft = (): string | undefined =>
    match() ? undefined : ws.drafts.text(props.group.id)?.replace(/\s+/g, ' ').slice(0, 80);
  const marked = (): boolean => ws.flags.has('unread', props.group.id);
  const label = (): string => {
    const n = summary().unread;
    const parts = [title()];
    if (n > 0) parts.push(`${n} unread`);
    else if (marked()) parts.push('marked unread');
    if (n > 0 && summary().mentioned) parts.push('mentioned you');
    if (muted()) parts.push('muted');
    if (draft()) parts.push('draft');
    if (online() === true) parts.push('online');
    return parts.join(', ');
  };
  return (
    <li>
      <A
        href={`/g/${props.group.id}`}
        class="group-item"
        classList={{
          active: Boolean(match()),
          unread: (summary().unread > 0 || marked()) && (!muted() || Boolean(summary().mentioned)),
        }}
        aria-label={label()}
        aria-describedby={`${idBase}-time ${idBase}-preview`}
        aria-current={match() ? 'page' : undefined}
      >
        <Avatar id={other() ?? props.group.id} name={title()} online={online()} />
        <span class="group-item-body">
          <span class="group-item-top">
            <span class="group-item-name">{title()}</span>
            <Show when={summary().lastAt}>
              {(at) => (
                <time class="group-item-time" id={`${idBase}-time`}>
                  {formatListTime(at())}
                </time>
              )}
            </Show>
          </span>
          <span class="group-item-bottom">
            <span class="group-item-preview" id={`${idBase}-preview`}>
              <Show when={draft()} fallback={preview()}>
                {(text) => (
                  <>
                    <span class="draft-label">Draft:</span> {text()}
                  </>
                )}
              </Show>
            </span>
            <Show when={summary().unread > 0 && summary().mentioned}>
              <span class="badge mention-badge" aria-hidden="true">
                @
              </span>
            </Show>
            <Show when={muted()}>
              <BellOffIcon class="line-icon muted-icon" />
            </Show>
            <Show
              when={summary().unread > 0}
              fallback={
                <Show when={marked()}>
                  <span
                    class="badge unread-dot"
                    classList={{ 'muted-badge': muted() }}
                    aria-hidden="true"
                  />
                </Show>
              }
            >
              <span class="badge" classList={{ 'muted-badge': muted() }} aria-hidden="true">
                {summary().unread > 999 ? '999+' : summary().unread}
              </span>
            </Show>
          </span>
        </span>
      </A>
    </li>
  );
}
