// A message's text as shown: its formatting (parse-formatting.ts) as elements, and links
// and mentions in the plain runs (rich-text.tsx); or, for a one-line preview, without its
// markers (plainText). Unformatted text, most messages, takes
// rich-text's path alone. The parser (markdown-it, ~90 kB) is a chunk of its own, fetched
// as the app starts, so the shell does not wait for it; a row whose text may be formatted
// shows it plain until then and is drawn again when it arrives.
import { createRoot, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { log } from '../log.js';
import { mayFormat } from './may-format.js';
import type { BlockNode, InlineNode, parseFormatting } from './parse-formatting.js';
import { richText } from './rich-text.js';

type Shown = string | JSX.Element | Array<string | JSX.Element>;

const parser = createRoot(() => {
  const [get, set] = createSignal<typeof parseFormatting | null>(null);
  import('./parse-formatting.js').then(
    (m) => set(() => m.parseFormatting),
    (err: unknown) => log.warn('message formatting unavailable', { err: String(err) }),
  );
  return get;
});

export function formattedText(text: string, names: ReadonlySet<string>, myName: string): Shown {
  const blocks = mayFormat(text) ? parser()?.(text) : null;
  if (!blocks) return richText(text, names, myName);
  const inline = (nodes: InlineNode[]): Shown[] =>
    nodes.map((n) => {
      if (typeof n === 'string') return richText(n, names, myName);
      if (n.tag === 'code') return <code class="inline-code">{n.text}</code>;
      if (n.tag === 'strong') return <strong>{inline(n.children)}</strong>;
      if (n.tag === 'em') return <em>{inline(n.children)}</em>;
      return <s>{inline(n.children)}</s>;
    });
  const block = (list: BlockNode[]): Shown[] =>
    list.map((b, i) => {
      if (b.kind === 'code') {
        return (
          <pre class="code-block" tabIndex={0} data-language={b.language || undefined}>
            <code>{b.text}</code>
          </pre>
        );
      }
      if (b.kind === 'quote') return <blockquote class="quote">{block(b.blocks)}</blockquote>;
      if (b.kind === 'list') {
        const items = b.items.map((item) => <li>{block(item)}</li>);
        return b.ordered ? (
          <ol class="message-list" start={b.start}>
            {items}
          </ol>
        ) : (
          <ul class="message-list">{items}</ul>
        );
      }
      // A paragraph after another keeps the line break and the blank lines between them.
      const before = list[i - 1]?.kind === 'text' ? '\n'.repeat(b.gap + 1) : '';
      return [before, ...inline(b.inline)];
    });
  return block(blocks);
}

/** The text without its formatting's markers (for previews and quotes of a message). */
export function plainText(text: string): string {
  const blocks = mayFormat(text) ? parser()?.(text) : null;
  return blocks ? blocksText(blocks) : text;
}

function blocksText(blocks: BlockNode[]): string {
  return blocks.map(blockText).join('\n');
}

function blockText(b: BlockNode): string {
  switch (b.kind) {
    case 'code':
      return b.text;
    case 'quote':
      return blocksText(b.blocks);
    case 'list':
      return b.items
        .map((item, i) => `${b.ordered ? `${b.start + i}.` : '•'} ${blocksText(item)}`)
        .join('\n');
    case 'text':
      return inlineText(b.inline);
  }
}

function inlineText(nodes: InlineNode[]): string {
  return nodes
    .map((n) => (typeof n === 'string' ? n : n.tag === 'code' ? n.text : inlineText(n.children)))
    .join('');
}
