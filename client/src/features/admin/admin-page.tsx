// Administration (server admins only): server stats, who may sign up (signup-settings.tsx),
// users (role, ban, password reset) and the audit log. The server enforces every rule (no
// self-ban, admins only); its refusal is shown.
import { A } from '@solidjs/router';
import { For, Show, createMemo, createResource, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { passwordSchema } from '@canopy/shared';
import type { AuditEntry, User, UserId } from '@canopy/shared';
import { adminApi } from '../../api/admin-api.js';
import { describeError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { formatSize } from '../attachments/format-size.js';
import { FormError, FormNotice } from '../../ui/form-error.js';
import { SignupSettings } from './signup-settings.js';

export function AdminPage(): JSX.Element {
  const ws = useWorkspace();
  return (
    <Show
      when={ws.me.role === 'admin'}
      fallback={
        <section class="settings">
          <p class="error" role="alert">
            This page is for server administrators only.
          </p>
          <A href="/">Back to conversations</A>
        </section>
      }
    >
      <AdminScreens />
    </Show>
  );
}

function AdminScreens(): JSX.Element {
  const ws = useWorkspace();
  const [stats, { refetch: refetchStats }] = createResource(() => adminApi.stats());
  const [users, { mutate: setUsers }] = createResource(() => adminApi.users());
  const [audit, { refetch: refetchAudit }] = createResource(() => adminApi.audit());
  const [filter, setFilter] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const shown = createMemo(() => {
    const q = filter().trim().toLowerCase();
    const all = users() ?? [];
    if (!q) return all;
    return all.filter((u) =>
      [u.username, u.displayName, u.email].some((s) => s.toLowerCase().includes(q)),
    );
  });
  const nameOf = (id: string | null): string => {
    if (id === null) return '—';
    const u = users()?.find((x) => x.id === id);
    return u ? `@${u.username}` : ws.userName(id as UserId) || id;
  };

  const run = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(what);
      void refetchAudit();
      void refetchStats();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const update = (u: User, patch: { role?: 'user' | 'admin'; banned?: boolean }, what: string) =>
    run(what, async () => {
      const updated = await adminApi.updateUser(u.id, patch);
      setUsers((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
    });

  return (
    <section class="settings admin" aria-labelledby="admin-title">
      <header class="conversation-header">
        <A href="/" class="back-link keep" aria-label="Back to conversations">
          ←
        </A>
        <h1 id="admin-title">Administration</h1>
      </header>
      <div class="settings-body stack">
        <FormError message={error()} />
        <FormNotice message={notice()} />

        <h2>Server</h2>
        <Show
          when={stats()}
          fallback={
            <p>{stats.state === 'errored' ? describeError(stats.error as unknown) : '…'}</p>
          }
        >
          {(s) => (
            <dl class="admin-stats" aria-label="Server stats">
              <dt>Users</dt>
              <dd>{s().users}</dd>
              <dt>Groups</dt>
              <dd>{s().groups}</dd>
              <dt>Open rooms</dt>
              <dd>{s().openRooms}</dd>
              <dt>Connections</dt>
              <dd>{s().connections}</dd>
              <dt>Stored updates</dt>
              <dd>{s().storedUpdates}</dd>
              <dt>Uptime</dt>
              <dd>{formatUptime(s().uptimeSeconds)}</dd>
              <dt>Memory</dt>
              <dd>{formatSize(s().rssBytes)}</dd>
            </dl>
          )}
        </Show>

        <SignupSettings run={run} notice={setNotice} nameOf={nameOf} />

        <h2>Users</h2>
        <input
          type="search"
          aria-label="Filter users"
          placeholder="Filter by name or email"
          value={filter()}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <Show when={users.state === 'errored'}>
          <p class="error" role="alert">
            {describeError(users.error as unknown)}
          </p>
        </Show>
        <ul class="admin-users" aria-label="Users">
          <For each={shown()}>
            {(u) => (
              <UserRow
                user={u}
                isMe={u.id === ws.me.id}
                onUpdate={(patch, what) => void update(u, patch, what)}
                onReset={(password) =>
                  run(`Password of @${u.username} reset; their sessions ended.`, () =>
                    adminApi.resetPassword(u.id, password),
                  )
                }
              />
            )}
          </For>
        </ul>

        <h2>Audit log</h2>
        <ol class="admin-audit" aria-label="Audit log">
          <For each={audit() ?? []}>{(e) => <AuditRow entry={e} nameOf={nameOf} />}</For>
        </ol>
      </div>
    </section>
  );
}

function UserRow(props: {
  user: User;
  isMe: boolean;
  onUpdate: (patch: { role?: 'user' | 'admin'; banned?: boolean }, what: string) => void;
  onReset: (password: string) => Promise<void>;
}): JSX.Element {
  const [resetting, setResetting] = createSignal(false);
  const [password, setPassword] = createSignal('');
  const [hint, setHint] = createSignal<string | null>(null);
  const handle = (): string => `@${props.user.username}`;
  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    if (!passwordSchema.safeParse(password()).success) {
      setHint('A password has 8-256 characters.');
      return;
    }
    setHint(null);
    void props.onReset(password()).then(() => {
      setPassword('');
      setResetting(false);
    });
  };
  return (
    <li class="admin-user">
      <div>
        <strong>{props.user.displayName}</strong> {handle()}
        <span class="muted"> · {props.user.email}</span>
        <span class="badges">
          <Show when={props.user.role === 'admin'}>
            <span class="badge">admin</span>
          </Show>
          <Show when={props.user.deleted}>
            <span class="badge">deleted</span>
          </Show>
          <Show when={props.user.banned && !props.user.deleted}>
            <span class="badge badge-danger">banned</span>
          </Show>
        </span>
      </div>
      <Show when={!props.isMe && !props.user.isBot && !props.user.deleted}>
        <div class="admin-actions">
          <button
            type="button"
            class="ghost"
            onClick={() =>
              props.onUpdate(
                { role: props.user.role === 'admin' ? 'user' : 'admin' },
                props.user.role === 'admin'
                  ? `${handle()} is no longer an admin.`
                  : `${handle()} is now an admin.`,
              )
            }
          >
            {props.user.role === 'admin'
              ? `Remove admin role from ${handle()}`
              : `Make ${handle()} admin`}
          </button>
          <button
            type="button"
            class={props.user.banned ? 'ghost' : 'danger'}
            onClick={() =>
              props.onUpdate(
                { banned: !props.user.banned },
                props.user.banned ? `${handle()} is unbanned.` : `${handle()} is banned.`,
              )
            }
          >
            {props.user.banned ? `Unban ${handle()}` : `Ban ${handle()}`}
          </button>
          <button type="button" class="ghost" onClick={() => setResetting((v) => !v)}>
            Reset password of {handle()}
          </button>
        </div>
        <Show when={resetting()}>
          <form class="admin-reset" onSubmit={submit}>
            <input
              type="password"
              autocomplete="new-password"
              aria-label={`New password for ${handle()}`}
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <button type="submit" class="primary">
              Set password
            </button>
            <Show when={hint()}>
              <span class="error">{hint()}</span>
            </Show>
          </form>
        </Show>
      </Show>
    </li>
  );
}

function AuditRow(props: {
  entry: AuditEntry;
  nameOf: (id: string | null) => string;
}): JSX.Element {
  return (
    <li>
      <time dateTime={new Date(props.entry.at).toISOString()}>
        {new Date(props.entry.at).toLocaleString()}
      </time>{' '}
      <strong>{props.entry.action}</strong> by {props.nameOf(props.entry.actorId)}
      <Show when={props.entry.targetId}> → {props.nameOf(props.entry.targetId)}</Show>
      <Show when={props.entry.details}>
        <span class="muted"> {JSON.stringify(props.entry.details)}</span>
      </Show>
    </li>
  );
}

function formatUptime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}
