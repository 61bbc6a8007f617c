// Suggestions under a text box: `@` and a name offer the people who can be mentioned, `:`
// and two letters the emoji of that name (a listbox under the box's control: arrows move,
// Enter or Tab picks, Escape closes; Enter after a name typed out in full is left to the
// box, which sends or saves). The composer and the message editor both use it.
import { For, Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { searchEmoji } from '../../ui/emoji-search.js';
import { log } from '../../log.js';
import { applyEmoji, emojiQuery } from './emoji-query.js';
import { insertMention, matchMentionables, mentionQuery } from './mention-query.js';
import type { Mentionable } from './mention-query.js';

/** One suggestion: what the list shows, and what picking it does to the text. */
interface Suggestion {
  label: string;
  detail: string;
  /** the query already names it in full (Enter is then the box's) */
  exact: boolean;
  apply: (text: string, caret: number) => { text: string; caret: number };
}

interface OpenList {
  name: 'Mention someone' | 'Emoji';
  options: Suggestion[];
  active: number;
}

export interface Suggestions {
  /** Look again at the text before the caret (after typing or moving the caret). */
  find(): void;
  /** Keys while the list is open; true when the key was the list's. */
  key(e: KeyboardEvent): boolean;
  close(): void;
  /** the list's id while it is open (the box's aria-controls) */
  listId(): string | undefined;
  /** the active option's id while the list is open (the box's aria-activedescendant) */
  activeId(): string | undefined;
  /** the list itself, where it should show */
  List: () => JSX.Element;
}

export function createSuggestions(options: {
  area: () => HTMLTextAreaElement;
  /** who `@` can mention; without them (undefined), `@` offers nothing */
  mentionables: () => readonly Mentionable[] | undefined;
  /** a suggestion was picked: the new text and where the caret goes */
  onPick: (text: string, caret: number) => void;
  /** unique on the page: the list's id, and its options' prefix */
  id: string;
}): Suggestions {
  const [list, setList] = createSignal<OpenList | null>(null);
  const optionId = (i: number): string => `${options.id}-option-${i}`;
  /** counts lookups, so a late emoji answer for an older query is dropped */
  let lookups = 0;

  const find = (): void => {
    const ticket = ++lookups;
    const area = options.area();
    const value = area.value;
    const caret = area.selectionStart;
    const all = options.mentionables();
    const at = all ? mentionQuery(value, caret) : null;
    if (at && all) {
      const found = matchMentionables(all, at.query).map((p): Suggestion => ({
        label: p.name,
        detail: `@${p.username}`,
        exact: p.username === at.query,
        apply: (text, from) => insertMention(text, at, from, p.username),
      }));
      setList(found.length > 0 ? { name: 'Mention someone', options: found, active: 0 } : null);
      return;
    }
    const code = emojiQuery(value, caret);
    if (!code) return void setList(null);
    searchEmoji(code.query).then(
      (emoji) => {
        if (ticket !== lookups) return;
        const found = emoji.map((e): Suggestion => ({
          label: e.unicode,
          detail: `:${e.shortcode}:`,
          exact: false,
          apply: (text, from) => applyEmoji(text, code, from, e.unicode),
        }));
        setList(found.length > 0 ? { name: 'Emoji', options: found, active: 0 } : null);
      },
      (err: unknown) => log.warn('emoji search unavailable', { err: String(err) }),
    );
  };

  const choose = (index: number): void => {
    const option = list()?.options[index];
    if (!option) return;
    const area = options.area();
    const next = option.apply(area.value, area.selectionStart);
    setList(null);
    options.onPick(next.text, next.caret);
  };

  const key = (e: KeyboardEvent): boolean => {
    const open = list();
    if (!open) return false;
    const n = open.options.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : n - 1;
      setList({ ...open, active: (open.active + step) % n });
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.isComposing) {
      if (e.key === 'Enter' && open.options[open.active]?.exact) {
        setList(null);
        return false;
      }
      choose(open.active);
    } else if (e.key === 'Escape') {
      setList(null);
    } else {
      return false;
    }
    e.preventDefault();
    return true;
  };

  return {
    find,
    key,
    close: () => setList(null),
    listId: () => (list() ? options.id : undefined),
    activeId: () => {
      const open = list();
      return open ? optionId(open.active) : undefined;
    },
    List: () => (
      <Show when={list()}>
        {(open) => (
          <ul id={options.id} class="mention-list" role="listbox" aria-label={open().name}>
            <For each={open().options}>
              {(option, i) => (
                <li
                  id={optionId(i())}
                  role="option"
                  aria-selected={i() === open().active}
                  // Picked on mousedown: a click would blur the box first.
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(i());
                  }}
                >
                  {option.label} <span class="muted">{option.detail}</span>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    ),
  };
}
