// The formatting people type in chat, read by markdown-it with only these rules on:
// **bold** / __bold__, *italic* / _italic_, ~~struck~~, `code`, ``` fenced code ```,
// > quotes and lists (`- `, `* `, `+ ` or `1. ` at a line's start, nested by indenting);
// a backslash keeps a marker as it is (\*). No HTML, entities, headings, tables or
// markdown links: what is typed is what is shown, less the markers. Words like snake_case
// stay as they are (markdown's rule for `_` inside a word).
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { mayFormat } from './may-format.js';

export type InlineNode =
  string | { tag: 'strong' | 'em' | 's'; children: InlineNode[] } | { tag: 'code'; text: string };

export type BlockNode =
  /** a paragraph; `gap` is how many blank lines came before it */
  | { kind: 'text'; inline: InlineNode[]; gap: number }
  | { kind: 'code'; text: string; language: string }
  | { kind: 'quote'; blocks: BlockNode[] }
  /** `start`: the first number of an ordered list */
  | { kind: 'list'; ordered: boolean; start: number; items: BlockNode[][] };

const md = new MarkdownIt('zero').enable([
  'fence',
  'blockquote',
  'list',
  'emphasis',
  'strikethrough',
  'backticks',
  'escape',
]);

/** The text's blocks, or null when nothing in it is formatted. */
export function parseFormatting(text: string): BlockNode[] | null {
  if (!mayFormat(text)) return null;
  const blocks = readBlocks(md.parse(text, {}), { at: 0 }, null);
  const only = blocks.length === 1 ? blocks[0] : undefined;
  const plain =
    only?.kind === 'text' &&
    only.inline.every((n) => typeof n === 'string') &&
    only.inline.join('') === text;
  return plain ? null : blocks;
}

/** Reads blocks from `cursor.at` until the token that closes `until` (or the end). */
function readBlocks(tokens: Token[], cursor: { at: number }, until: string | null): BlockNode[] {
  const blocks: BlockNode[] = [];
  let lastLine = 0;
  while (cursor.at < tokens.length) {
    const t = tokens[cursor.at++]!;
    if (t.type === until) break;
    const startLine = t.map?.[0] ?? lastLine;
    if (t.type === 'paragraph_open') {
      const inline = tokens[cursor.at]!;
      cursor.at += 2; // the inline token and paragraph_close
      blocks.push({
        kind: 'text',
        inline: readInline(inline.children ?? []),
        gap: blocks.length === 0 ? 0 : Math.max(0, startLine - lastLine),
      });
    } else if (t.type === 'fence') {
      blocks.push({ kind: 'code', text: t.content.replace(/\n$/, ''), language: t.info.trim() });
    } else if (t.type === 'blockquote_open') {
      blocks.push({ kind: 'quote', blocks: readBlocks(tokens, cursor, 'blockquote_close') });
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      const ordered = t.type === 'ordered_list_open';
      const close = ordered ? 'ordered_list_close' : 'bullet_list_close';
      const items: BlockNode[][] = [];
      while (cursor.at < tokens.length && tokens[cursor.at]!.type !== close) {
        if (tokens[cursor.at++]!.type === 'list_item_open') {
          items.push(readBlocks(tokens, cursor, 'list_item_close'));
        }
      }
      cursor.at++; // the list's close
      blocks.push({ kind: 'list', ordered, start: Number(t.attrGet('start') ?? 1), items });
    }
    lastLine = t.map?.[1] ?? lastLine;
  }
  return blocks;
}

const TAGS: Record<string, 'strong' | 'em' | 's'> = {
  strong_open: 'strong',
  em_open: 'em',
  s_open: 's',
};

function readInline(tokens: Token[]): InlineNode[] {
  const root: InlineNode[] = [];
  const stack: InlineNode[][] = [root];
  const push = (node: InlineNode): void => {
    const into = stack[stack.length - 1]!;
    const last = into[into.length - 1];
    // Adjacent text (markdown-it splits it at every marker it tried) is one string.
    if (typeof node === 'string' && typeof last === 'string') into[into.length - 1] = last + node;
    else into.push(node);
  };
  for (const t of tokens) {
    const tag = TAGS[t.type];
    if (tag) {
      const children: InlineNode[] = [];
      push({ tag, children });
      stack.push(children);
    } else if (t.type.endsWith('_close') && stack.length > 1) {
      stack.pop();
    } else if (t.type === 'code_inline') {
      push({ tag: 'code', text: t.content });
    } else if (t.type === 'softbreak' || t.type === 'hardbreak') {
      push('\n');
    } else if (t.content !== '') {
      push(t.content);
    }
  }
  return root;
}
