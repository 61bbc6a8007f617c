// Pure size arithmetic for on-device image preparation: fitting inside a long-edge limit
// and the thumbhash's 100-pixel box. No DOM, so it is unit-tested in Node.

export interface Size {
  width: number;
  height: number;
}

/**
 * Scales (width, height) down so the long edge is at most maxEdge, keeping the aspect ratio.
 * Never upscales; each side stays at least 1 pixel (a 10000×1 strip stays visible).
 */
export function fitWithin(width: number, height: number, maxEdge: number): Size {
  if (!(width > 0 && height > 0 && maxEdge > 0)) {
    throw new Error(`invalid size ${width}x${height} or limit ${maxEdge}`);
  }
  const longEdge = Math.max(width, height);
  if (longEdge <= maxEdge) return { width, height };
  const scale = maxEdge / longEdge;
  return {
    width: Math.max(1, Math.min(maxEdge, Math.round(width * scale))),
    height: Math.max(1, Math.min(maxEdge, Math.round(height * scale))),
  };
}

/** thumbhash encodes images of at most 100×100 pixels. */
export const THUMBHASH_MAX_EDGE = 100;

export function thumbhashSize(width: number, height: number): Size {
  return fitWithin(width, height, THUMBHASH_MAX_EDGE);
}

/** Standard base64 of a few bytes (thumbhash is ≤ 25 bytes; no streaming needed). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
