// The attachment's fields as the document schema wants them (names, labels), and the message
// record: written when the file is attached (`pending`, from the device's own hash, type and
// size), or once the server stored the bytes. Pure, so it is unit-tested in Node.
import type { BlobInfo, MessageRecord, UserId } from '@canopy/shared';
import type { QueuedUpload } from '../../sync/upload-queue.js';

const MAX_NAME = 255;
const MAX_LABELS = 32;

/** A name the document schema accepts: at most 255 characters, never empty. */
export function attachmentName(name: string, fallback: string): string {
  const trimmed = name.trim() || fallback;
  if (trimmed.length <= MAX_NAME) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const ext = dot > 0 && trimmed.length - dot <= 16 ? trimmed.slice(dot) : '';
  return trimmed.slice(0, MAX_NAME - ext.length) + ext;
}

/** Classifier scores as the schema wants them: at most 32 labels, each in [0, 1]. */
export function cleanLabels(labels: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  const sorted = Object.entries(labels)
    .filter(([k, v]) => k.length > 0 && k.length <= 64 && Number.isFinite(v))
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_LABELS);
  for (const [k, v] of sorted) out[k] = Math.round(Math.min(1, Math.max(0, v)) * 1e4) / 1e4;
  return out;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
};

/** Re-encoding may change the type ("scan.png" sent as JPEG): the name follows the bytes. */
export function withExtensionFor(name: string, mime: string): string {
  const ext = EXTENSIONS[mime];
  if (!ext) return name;
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  if (name.toLowerCase().endsWith(ext) || (ext === '.jpg' && /\.jpe?g$/i.test(name))) return name;
  return attachmentName(base + ext, 'image' + ext);
}

/** The record written at attach time, before the upload: the device's hash, type and size. */
export function toPendingRecord(
  entry: QueuedUpload,
  sha256: string,
  authorId: UserId,
): MessageRecord {
  const blob = {
    sha256,
    mime: entry.mime,
    size: entry.size,
    width: null,
    height: null,
  };
  const record = toMessageRecord(entry, blob, authorId);
  return { ...record, attachment: { ...record.attachment!, pending: true } };
}

/** The immutable record for an uploaded entry; type and size are the server's. */
export function toMessageRecord(
  entry: QueuedUpload,
  blob: BlobInfo,
  authorId: UserId,
): MessageRecord {
  const attachment: NonNullable<MessageRecord['attachment']> = {
    sha256: blob.sha256,
    mime: blob.mime,
    size: blob.size,
    name: entry.name,
  };
  const width = entry.width ?? blob.width;
  const height = entry.height ?? blob.height;
  if (width && height) {
    attachment.width = width;
    attachment.height = height;
  }
  if (entry.thumbhash !== undefined) attachment.thumbhash = entry.thumbhash;
  if (entry.labels !== undefined) attachment.labels = cleanLabels(entry.labels);
  if (entry.blurred) attachment.blurred = true;
  return { id: entry.id, authorId, createdAt: entry.createdAt, kind: entry.kind, attachment };
}
