// Test images made inside a Chromium page with OffscreenCanvas: a flat colour (scores high on
// the classifier's Drawing label) and a photo-like picture (smooth shapes plus seeded grain,
// scores Neutral). Installed as globalThis.canopyTestImage(spec) → Promise<Blob>, so large
// images never cross the Playwright channel; imageBytes() fetches small ones for file inputs.
import type { Page } from 'playwright-core';

export interface TestImageSpec {
  kind: 'flat' | 'photo';
  width: number;
  height: number;
  type: 'image/png' | 'image/jpeg';
  /** flat: CSS colour; default a mid blue */
  color?: string;
  seed?: number;
}

// Plain JS (the test project has no DOM types); runs in the page.
const SOURCE = `
globalThis.canopyTestImage = async (spec) => {
  const { kind, width, height, type } = spec;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (kind === 'flat') {
    ctx.fillStyle = spec.color ?? '#3a6ea5';
    ctx.fillRect(0, 0, width, height);
  } else {
    let s = (spec.seed ?? 1) >>> 0;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    const sky = ctx.createLinearGradient(0, 0, 0, height);
    sky.addColorStop(0, '#6f94b8');
    sky.addColorStop(0.55, '#c9d6d8');
    sky.addColorStop(0.56, '#5d6b3a');
    sky.addColorStop(1, '#3b3222');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, width, height);
    for (let i = 0; i < 60; i++) {
      const hue = 60 + rnd() * 80;
      ctx.fillStyle = 'hsla(' + hue + ',' + (20 + rnd() * 30) + '%,' + (20 + rnd() * 40) + '%,0.6)';
      ctx.beginPath();
      ctx.ellipse(rnd() * width, height * (0.4 + rnd() * 0.6), width * (0.02 + rnd() * 0.1),
        height * (0.02 + rnd() * 0.12), rnd() * Math.PI, 0, Math.PI * 2);
      ctx.fill();
    }
    // Grain, in bands so a 12-megapixel image never needs a second full-size buffer.
    const band = Math.max(1, Math.floor(262144 / width));
    for (let y = 0; y < height; y += band) {
      const rows = Math.min(band, height - y);
      const img = ctx.getImageData(0, y, width, rows);
      const d = img.data;
      for (let i = 0; i < d.length; i += 4) {
        const n = (rnd() - 0.5) * 48;
        d[i] += n; d[i + 1] += n; d[i + 2] += n;
      }
      ctx.putImageData(img, 0, y);
    }
  }
  return canvas.convertToBlob({ type, quality: 0.9 });
};
`;

/** Defines canopyTestImage in the page (idempotent). */
export async function installTestImages(page: Page): Promise<void> {
  await page.evaluate(SOURCE);
}

/** The encoded bytes of a small test image, for setInputFiles. */
export async function imageBytes(page: Page, spec: TestImageSpec): Promise<Buffer> {
  await installTestImages(page);
  const base64 = await page.evaluate(
    `(async (spec) => {
      const blob = await globalThis.canopyTestImage(spec);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    })(${JSON.stringify(spec)})`,
  );
  return Buffer.from(base64 as string, 'base64');
}
