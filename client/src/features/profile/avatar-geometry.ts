// Pure size arithmetic for avatar pictures: the centred square a cover crop keeps. No DOM,
// so it is unit-tested in Node.

/** Avatars are stored at this many pixels a side (shown at up to 96 CSS px, 2x screens). */
export const AVATAR_SIZE = 256;

export interface SquareCrop {
  x: number;
  y: number;
  side: number;
}

/** The largest centred square of a width×height picture (what `object-fit: cover` shows). */
export function centreSquare(width: number, height: number): SquareCrop {
  if (!(width > 0 && height > 0)) throw new Error(`invalid size ${width}x${height}`);
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side };
}
