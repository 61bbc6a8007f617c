// Profile pictures pass the image classifier before they are uploaded, under the operator's
// avatar policy (GET /api/config; null = the classifier's default). Everyone on the server
// sees them, and a picture cannot wait behind "Show anyway" everywhere it appears, so a rule
// that would blur an attachment refuses a picture. As for attachments, the check runs on
// the device: it keeps the app from showing unsafe pictures, not a modified client.
import { nsfwManifest } from '@canopy/models';
import type { ImagePolicy } from '@canopy/shared';
import { fetchServerConfig } from '../../api/blob-api.js';
import { prepareImage } from '../../media/prepare-image.js';
import { avatarRules, describeReasons } from '../../media/policy-reason.js';
import { log } from '../../log.js';
import { AvatarImageError } from './avatar-image.js';

const logger = log.child('avatar');

async function avatarPolicy(): Promise<ImagePolicy | null> {
  try {
    return (await fetchServerConfig()).avatars.imagePolicy;
  } catch (err) {
    // Without the operator's policy the default applies: never less than the classifier's.
    logger.warn('cannot read the avatar policy; using the default', { err: String(err) });
    return null;
  }
}

/** Resolves when the picture may be a profile picture; throws AvatarImageError when not. */
export async function checkAvatar(image: Blob): Promise<void> {
  let result: Awaited<ReturnType<typeof prepareImage>>;
  try {
    result = await prepareImage(image, avatarRules(await avatarPolicy(), nsfwManifest));
  } catch (cause) {
    throw new AvatarImageError('This picture could not be checked. Try again.', { cause });
  }
  if (result.kind === 'blocked') {
    throw new AvatarImageError(
      `This picture cannot be a profile picture on this server: ${describeReasons(result.decision, 'block')}.`,
    );
  }
}
