// Blobs: content-addressed (SHA-256) images and files. The document holds only the reference
// (see attachmentSchema); the bytes go over HTTP.
//
//   POST /api/groups/:id/blobs   raw bytes as the body; Content-Type is the client's claim,
//                                X-File-Name (percent-encoded) the original name. The server
//                                decides the type from the bytes. 201 new to this group, 200
//                                when the group already had these bytes (same sha256).
//   /api/uploads[/<id>]          the same, resumable: the tus 1.0 protocol (creation,
//                                expiration, termination). Upload-Metadata: `groupId`, `name`,
//                                `type` (the claim). Only the creator (a member) sees an
//                                upload. The PATCH that completes it answers 201/200 with
//                                { blob } as above; every refusal has the { error } body.
//   GET  /api/blobs/:sha256      the bytes, to members of a group that references the blob
//                                (avatars: any signed-in user; others 404, no session 401).
//                                Immutable; nosniff; a restrictive CSP; Content-Disposition:
//                                attachment unless the type is an inline-safe image, audio or
//                                video. Optional ?name= sets the download file name. ETag is
//                                the quoted sha256 (If-None-Match → 304); one Range → 206.
//   PUT  /api/me/avatar          raw image bytes → { user } with the new avatar hash
//   DELETE /api/me/avatar        → { user } without avatar
// Errors: 413 payload_too_large (size or pixel count), 415 unsupported_media_type (bytes do
// not match a claimed image type, or an avatar that is not a raster image), 413
// quota_exceeded (per-user storage quota), 403/404 as usual.
import { z } from 'zod';
import { sha256HexSchema } from './users.js';

export const FILE_NAME_HEADER = 'X-File-Name';
/** The tus endpoint of resumable uploads. */
export const UPLOADS_PATH = '/api/uploads';

/** Image types shown inline; everything else (SVG and HTML included) downloads. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** Media types played inline. */
export const INLINE_MEDIA_TYPES = [
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
] as const;

/** Images above this many pixels are refused (decompression bombs). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Images are downscaled on the device to at most this many pixels on the long side. */
export const MAX_IMAGE_EDGE = 2048;
/** Default per-user storage quota (the operator may change it). */
export const DEFAULT_USER_QUOTA_BYTES = 1024 * 1024 * 1024;

export const blobInfoSchema = z.object({
  sha256: sha256HexSchema,
  /** decided by the server from the bytes */
  mime: z.string(),
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
});
export type BlobInfo = z.infer<typeof blobInfoSchema>;

export const blobResponseSchema = z.object({ blob: blobInfoSchema });
export type BlobResponse = z.infer<typeof blobResponseSchema>;

/** Upload limits the client shows before it tries (GET /api/config). */
export const uploadLimitsSchema = z.object({
  maxUploadBytes: z.number().int().positive(),
  maxImagePixels: z.number().int().positive(),
  quotaBytes: z.number().int().positive(),
});
export type UploadLimits = z.infer<typeof uploadLimitsSchema>;

export function blobUrl(sha256: string): string {
  return `/api/blobs/${sha256}`;
}

export function isInlineImage(mime: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(mime);
}

export function isInlineMedia(mime: string): boolean {
  return (INLINE_MEDIA_TYPES as readonly string[]).includes(mime);
}
