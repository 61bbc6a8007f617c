import { describe, expect, it } from 'vitest';
import { parseFormatting } from './parse-formatting.js';

describe('parseFormatting', () => {
  it('leaves unformatted text alone', () => {
    for (const text of ['Sure. See you at 5', 'snake_case_name and 2*3', '**not closed', '']) {
      expect(parseFormatting(text)).toBeNull();
    }
  });

  it('reads bold, italic, struck and code, nested', () => {
    expect(parseFormatting('a **b _c_** ~~d~~ `e *f*`')).toEqual([
      {
        kind: 'text',
        gap: 0,
        inline: [
          'a ',
          { tag: 'strong', children: ['b ', { tag: 'em', children: ['c'] }] },
          ' ',
          { tag: 's', children: ['d'] },
          ' ',
          // Nothing is formatted inside code.
          { tag: 'code', text: 'e *f*' },
        ],
      },
    ]);
  });

  it('keeps line breaks, indentation and blank lines between paragraphs', () => {
    expect(parseFormatting('one\n  two *x*\n\n\nthree')).toEqual([
      { kind: 'text', gap: 0, inline: ['one\n  two ', { tag: 'em', children: ['x'] }] },
      { kind: 'text', gap: 2, inline: ['three'] },
    ]);
  });

  it('reads fenced code blocks and quotes', () => {
    expect(parseFormatting('look:\n```ts\nconst a = **1**;\n```\n> said _this_\n\nok')).toEqual([
      { kind: 'text', gap: 0, inline: ['look:'] },
      { kind: 'code', language: 'ts', text: 'const a = **1**;' },
      {
        kind: 'quote',
        blocks: [{ kind: 'text', gap: 0, inline: ['said ', { tag: 'em', children: ['this'] }] }],
      },
      { kind: 'text', gap: 1, inline: ['ok'] },
    ]);
  });

  it('shows a marker kept by a backslash, and no HTML, entity, heading or link', () => {
    expect(parseFormatting('\\*not italic\\*')).toEqual([
      { kind: 'text', gap: 0, inline: ['*not italic*'] },
    ]);
    const text = '# <b>hi</b> &amp; [x](javascript:alert(1)) *one*';
    expect(parseFormatting(text)).toEqual([
      {
        kind: 'text',
        gap: 0,
        inline: ['# <b>hi</b> &amp; [x](javascript:alert(1)) ', { tag: 'em', children: ['one'] }],
      },
    ]);
  });

  it('reads bullet and numbered lists, nested, after a line of text', () => {
    const text = 'todo:\n- milk\n- *eggs*\n  1. six\n  2. brown\n\n3) call Ana';
    const line = (...inline: (string | { tag: 'em'; children: string[] })[]) => ({
      kind: 'text',
      gap: 0,
      inline,
    });
    expect(parseFormatting(text)).toEqual([
      line('todo:'),
      {
        kind: 'list',
        ordered: false,
        start: 1,
        items: [
          [line('milk')],
          [
            line({ tag: 'em', children: ['eggs'] }),
            { kind: 'list', ordered: true, start: 1, items: [[line('six')], [line('brown')]] },
          ],
        ],
      },
      { kind: 'list', ordered: true, start: 3, items: [[line('call Ana')]] },
    ]);
  });

  it('does not take a number or a dash inside a line for a list', () => {
    for (const text of ['in 2024. we shipped', 'a - b', '+1', '-1 degrees', '3.5 stars']) {
      expect(parseFormatting(text), text).toBeNull();
    }
  });
});
