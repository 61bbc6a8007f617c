import { describe, expect, it } from 'vitest';
import type { GroupId, UserId } from '@canopy/shared';
import { composeMail } from './away-notifier.js';

const names: Record<string, string> = { ana: 'Ana', ben: 'Ben', cyd: 'Cyd' };
const lookup = (publicOrigin: string | null) => ({
  nameOf: (id: UserId) => names[id] ?? '?',
  groupName: (id: GroupId) => (id === 'design' ? 'Design' : '?'),
  publicOrigin,
});
const news = (
  entries: Array<[string, { dm: boolean; mentions: number; messages: number; authors: string[] }]>,
) => ({
  news: new Map(
    entries.map(([id, n]) => [id as GroupId, { ...n, authors: new Set(n.authors as UserId[]) }]),
  ),
});

describe('composeMail', () => {
  it('names one conversation in the subject and links it when the origin is known', () => {
    const mail = composeMail(
      'Dee',
      news([['design', { dm: false, mentions: 2, messages: 2, authors: ['ana', 'ben', 'cyd'] }]]),
      lookup('https://chat.example.com'),
    );
    expect(mail.subject).toBe('Ana, Ben and Cyd mentioned you 2 times in Design');
    expect(mail.text).toContain('Hi Dee,');
    expect(mail.text).toContain('  https://chat.example.com/g/design\n');
    expect(mail.text).toContain('Open Canopy to read them: https://chat.example.com/');
  });

  it('lists several conversations, without links when the origin is unknown', () => {
    const mail = composeMail(
      'Dee',
      news([
        ['dm1', { dm: true, mentions: 0, messages: 1, authors: ['ana'] }],
        ['design', { dm: false, mentions: 1, messages: 1, authors: ['ben'] }],
      ]),
      lookup(null),
    );
    expect(mail.subject).toBe('2 conversations have news for you');
    expect(mail.text).toContain('- Ana sent you a message\n- Ben mentioned you in Design\n');
    expect(mail.text).not.toContain('http');
  });
});
