// Message search for the open conversation, on the device: works offline and needs no
// server index. Results are newest first; choosing one scrolls the list to it and marks it.
import { For, Show, createMemo, createSignal, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import type { Conversation } from '../../state/conversation.js';
import { useWorkspace } from '../../state/app-context.js';
import { createMessageSearch, snippet } from '../../search/message-search.js';
import { formatDay, formatTime } from '../../util/format.js';

const MAX_RESULTS = 50;
const TYPE_PAUSE_MS = 150;

export function SearchPanel(props: {
  conv: Conversation;
  onChoose: (index: number) => void;
  onClose: () => void;
}): JSX.Element {
  const ws = useWorkspace();
  const conv = props.conv; // eslint-disable-line solid/reactivity -- one conversation per panel
  const index = createMessageSearch({
    get length() {
      return conv.loaded() ? conv.count() : 0;
    },
    textAt: (i) => {
      const record = conv.message(i);
      return record ? (conv.shown(record).text ?? '') : '';
    },
  });

  const [query, setQuery] = createSignal('');
  const [applied, setApplied] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  // A rebuilt list (reset) may reorder messages, and an edit changes a text: either drops
  // the normalized texts, before this search reads them.
  let seen = '';
  const results = createMemo(() => {
    conv.count(); // new messages can match too
    const version = `${conv.resetKey()}/${conv.editVersion()}`;
    if (version !== seen) {
      seen = version;
      index.reset();
    }
    return index.search(applied(), MAX_RESULTS);
  });

  return (
    <div class="search-panel">
      <form
        role="search"
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(timer);
          setApplied(query());
        }}
      >
        <input
          type="search"
          aria-label="Search this conversation"
          placeholder="Search messages"
          autofocus
          value={query()}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            clearTimeout(timer);
            timer = setTimeout(() => setApplied(query()), TYPE_PAUSE_MS);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') props.onClose();
          }}
        />
        <button type="button" class="ghost" onClick={() => props.onClose()}>
          Close search
        </button>
      </form>
      <Show when={applied().trim()}>
        <p class="muted" role="status">
          {results().length === 0
            ? 'No messages match.'
            : results().length === MAX_RESULTS
              ? `Newest ${MAX_RESULTS} matches`
              : `${results().length} ${results().length === 1 ? 'match' : 'matches'}`}
          <Show when={!conv.loaded()}> (still opening this conversation)</Show>
        </p>
      </Show>
      <ul class="search-results" aria-label="Search results">
        <For each={results()}>
          {(i) => {
            const rec = conv.message(i);
            if (!rec) return null;
            const when = `${formatDay(rec.createdAt)} ${formatTime(rec.createdAt)}`;
            return (
              <li>
                <button type="button" class="search-result ghost" onClick={() => props.onChoose(i)}>
                  <span class="search-result-meta">
                    {ws.userName(rec.authorId)} · {when}
                  </span>
                  <span class="search-result-text">{snippet(rec.text ?? '', applied())}</span>
                </button>
              </li>
            );
          }}
        </For>
      </ul>
    </div>
  );
}
