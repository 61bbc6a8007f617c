import { describe, expect, it } from 'vitest';
import { makeId, messageRecordSchema } from '@canopy/shared';
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import {
  attachmentName,
  cleanLabels,
  toMessageRecord,
  withExtensionFor,
} from './attachment-fields.js';
import { formatSize } from './format-size.js';

describe('attachment helpers', () => {
  it('keeps names within the schema and their extension', () => {
    expect(attachmentName('  ', 'file')).toBe('file');
    const long = `${'x'.repeat(300)}.pdf`;
    expect(attachmentName(long, 'file')).toHaveLength(255);
    expect(attachmentName(long, 'file').endsWith('.pdf')).toBe(true);
  });

  it('renames a re-encoded image after its new type', () => {
    expect(withExtensionFor('scan.png', 'image/jpeg')).toBe('scan.jpg');
    expect(withExtensionFor('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(withExtensionFor('pic', 'image/webp')).toBe('pic.webp');
    expect(withExtensionFor('doc.pdf', 'application/pdf')).toBe('doc.pdf');
  });

  it('clamps and caps classifier labels', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, i / 40]));
    const out = cleanLabels({ ...many, over: 1.2, neg: -0.1, nan: Number.NaN });
    expect(Object.keys(out)).toHaveLength(32);
    expect(out.over).toBe(1);
    expect(out.nan).toBeUndefined();
    expect(Object.values(out).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('formats sizes', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(25 * 1024 * 1024)).toBe('25 MB');
  });

  it('builds a record the document schema accepts, with the server type and size', () => {
    const me = makeId<UserId>();
    const record = toMessageRecord(
      {
        id: makeId<MessageId>(),
        groupId: makeId<GroupId>(),
        createdAt: 1_700_000_000_000,
        kind: 'image',
        name: 'beach.jpg',
        mime: 'image/jpeg',
        size: 1000,
        width: 800,
        height: 600,
        thumbhash: 'YJqGPQw7sFlslqhFafSE+Q6oJ1h2iHB2Rw==',
        labels: { Neutral: 0.97, Porn: 0.01 },
        blurred: true,
      },
      { sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 998, width: 800, height: 600 },
      me,
    );
    expect(messageRecordSchema.parse(record)).toEqual(record);
    expect(record.attachment).toMatchObject({ size: 998, blurred: true, width: 800 });
    const file = toMessageRecord(
      {
        id: makeId<MessageId>(),
        groupId: makeId<GroupId>(),
        createdAt: 1,
        kind: 'file',
        name: 'a.pdf',
        mime: '',
        size: 5,
      },
      { sha256: 'b'.repeat(64), mime: 'application/pdf', size: 5, width: null, height: null },
      me,
    );
    expect(messageRecordSchema.parse(file).attachment).toEqual({
      sha256: 'b'.repeat(64),
      mime: 'application/pdf',
      size: 5,
      name: 'a.pdf',
    });
  });
});
