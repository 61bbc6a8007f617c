// Searches the user directory (GET /api/users?q=) as the user types, debounced and
// cancellable; results are remembered in the workspace so names show up offline later.
import { For, Show, createSignal, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import type { PublicUser, UserId } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { describeError, isNetworkError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { Avatar } from '../../ui/avatar.js';
import { FormError } from '../../ui/form-error.js';

export interface UserSearchProps {
  label: string;
  exclude?: readonly UserId[];
  actionLabel: (user: PublicUser) => string;
  actionText: string;
  onPick: (user: PublicUser) => void;
}

export function UserSearch(props: UserSearchProps): JSX.Element {
  const ws = useWorkspace();
  const [query, setQuery] = createSignal('');
  const [results, setResults] = createSignal<PublicUser[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  onCleanup(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  const visible = (users: readonly PublicUser[]): PublicUser[] =>
    users.filter((u) => u.id !== ws.me.id && !u.isBot && !(props.exclude ?? []).includes(u.id));

  // People seen before match at once and offline; the directory answer replaces them.
  const localMatches = (q: string): PublicUser[] => {
    const needle = q.trim().toLowerCase();
    return visible(ws.knownUsers()).filter(
      (u) => u.username.includes(needle) || u.displayName.toLowerCase().includes(needle),
    );
  };

  const search = (q: string): void => {
    clearTimeout(timer);
    controller?.abort();
    if (q.trim().length === 0) {
      setResults([]);
      setError(null);
      return;
    }
    setResults(localMatches(q));
    timer = setTimeout(() => {
      controller = new AbortController();
      setBusy(true);
      api
        .searchUsers(q.trim(), controller.signal)
        // eslint-disable-next-line solid/reactivity -- an async answer, not a render
        .then((users) => {
          ws.rememberUsers(users);
          setResults(visible(users));
          setError(null);
        })
        // eslint-disable-next-line solid/reactivity -- an async answer, not a render
        .catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          if (isNetworkError(err) && results().length > 0) return;
          setError(describeError(err));
        })
        .finally(() => setBusy(false));
    }, 200);
  };

  const searchId = `user-search-${Math.random().toString(36).slice(2)}`;
  return (
    <div class="user-search">
      <label for={searchId}>{props.label}</label>
      <input
        id={searchId}
        type="search"
        autocomplete="off"
        placeholder="Name or username"
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          search(e.currentTarget.value);
        }}
      />
      <FormError message={error()} />
      <ul class="user-results" aria-label="Search results" aria-busy={busy()}>
        <For each={results()}>
          {(user) => (
            <li class="user-result">
              <Avatar id={user.id} name={user.displayName || user.username} size={28} />
              <span class="user-result-name">
                {user.displayName || user.username} <span class="muted">@{user.username}</span>
              </span>
              <button
                type="button"
                aria-label={props.actionLabel(user)}
                onClick={() => props.onPick(user)}
              >
                {props.actionText}
              </button>
            </li>
          )}
        </For>
        <Show when={query().trim() && !busy() && results().length === 0 && !error()}>
          <li class="muted">No people found.</li>
        </Show>
      </ul>
    </div>
  );
}
