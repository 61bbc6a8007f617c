// Turns a picked file into what the upload queue stores, or into a notice for the sender.
// Images (by type or by their first bytes) always go through prepareImage first: nothing of
// an image leaves the device before the classifier ran, and one it cannot read is refused
// rather than sent as a plain file. Other files only face the operator's size limit.
import type { ImagePolicy } from '@canopy/shared';
import {
  ImagePrepareError,
  ImagePrepareErrorCode,
  prepareImage,
} from '../../media/prepare-image.js';
import { attachmentName, cleanLabels, withExtensionFor } from './attachment-fields.js';
import { formatSize } from './format-size.js';
import { isImageSignature } from './image-signature.js';

export interface PreparedAttachment {
  kind: 'image' | 'file';
  body: Blob;
  name: string;
  mime: string;
  width?: number;
  height?: number;
  thumbhash?: string;
  labels?: Record<string, number>;
  blurred?: boolean;
}

export type PrepareResult =
  { ok: true; attachment: PreparedAttachment } | { ok: false; notice: string };

async function looksLikeImage(file: File): Promise<boolean> {
  if (file.type.startsWith('image/')) return true;
  const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
  return isImageSignature(head);
}

export async function prepareAttachment(
  file: File,
  options: { policy: ImagePolicy | null; maxBytes: number },
): Promise<PrepareResult> {
  const name = attachmentName(file.name, 'file');
  const tooBig = (size: number): PrepareResult => ({
    ok: false,
    notice: `“${name}” is too large (${formatSize(size)}). The limit here is ${formatSize(options.maxBytes)}.`,
  });
  if (file.size === 0) return { ok: false, notice: `“${name}” is empty.` };
  if (!(await looksLikeImage(file))) {
    if (file.size > options.maxBytes) return tooBig(file.size);
    return {
      ok: true,
      attachment: { kind: 'file', body: file, name, mime: file.type || 'application/octet-stream' },
    };
  }
  let prepared: Awaited<ReturnType<typeof prepareImage>>;
  try {
    prepared = await prepareImage(file, options.policy);
  } catch (err) {
    // 'decode': not an image this browser reads; 'classify': the check failed, which is never
    // taken as safe. Either way the image stays on the device.
    const readable = !(
      err instanceof ImagePrepareError && err.code === ImagePrepareErrorCode.decode
    );
    return {
      ok: false,
      notice: readable
        ? `“${name}” was not sent: it could not be checked against this group's image policy.`
        : `“${name}” was not sent: it is not an image this browser can read.`,
    };
  }
  if (prepared.kind === 'blocked')
    return { ok: false, notice: `“${name}” was not sent. ${prepared.reason}` };
  if (prepared.decision.action === 'block')
    return { ok: false, notice: `“${name}” was not sent: blocked by this group's image policy.` };
  if (prepared.blob.size > options.maxBytes) return tooBig(prepared.blob.size);
  return {
    ok: true,
    attachment: {
      kind: 'image',
      body: prepared.blob,
      name: withExtensionFor(name, prepared.mime),
      mime: prepared.mime,
      width: prepared.width,
      height: prepared.height,
      // The document caps placeholders at 200 characters; a thumbhash is ~30-50.
      ...(prepared.thumbhash.length <= 200 ? { thumbhash: prepared.thumbhash } : {}),
      labels: cleanLabels(prepared.labels),
      ...(prepared.decision.action === 'blur' ? { blurred: true } : {}),
    },
  };
}
