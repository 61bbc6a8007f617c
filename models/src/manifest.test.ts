import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nsfwManifest } from './index.js';
import { parseManifest, scoresByLabel } from './manifest.js';

const raw = JSON.parse(
  readFileSync(new URL('./nsfw.manifest.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('classifier manifest', () => {
  it('parses the bundled nsfw manifest', () => {
    expect(nsfwManifest.labels).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    expect(nsfwManifest.input).toMatchObject({ layout: 'NHWC', height: 224, width: 224 });
    expect(nsfwManifest.input.normalization.scale[0] * 255).toBeCloseTo(1, 12);
    expect(Object.keys(nsfwManifest.defaultPolicy).sort()).toEqual(['Hentai', 'Porn', 'Sexy']);
  });

  it('rejects unsafe labels and policies that name unknown labels', () => {
    expect(() => parseManifest({ ...raw, unsafeLabels: ['Gore'] })).toThrow(/Gore is not a label/);
    expect(() =>
      parseManifest({ ...raw, defaultPolicy: { Neutral: { threshold: 0.5, action: 'blur' } } }),
    ).toThrow(/not an unsafe label/);
  });

  it('rejects bad thresholds, actions and layouts with the field named', () => {
    expect(() =>
      parseManifest({ ...raw, defaultPolicy: { Porn: { threshold: 2, action: 'block' } } }),
    ).toThrow(/threshold/);
    expect(() =>
      parseManifest({ ...raw, defaultPolicy: { Porn: { threshold: 0.5, action: 'delete' } } }),
    ).toThrow(/action/);
    expect(() =>
      parseManifest({ ...raw, input: { ...nsfwManifest.input, layout: 'HWC' } }),
    ).toThrow(/layout/);
  });

  it('maps an output vector to labels and checks its length', () => {
    expect(scoresByLabel(nsfwManifest, [0.1, 0.2, 0.3, 0.25, 0.15])).toEqual({
      Drawing: 0.1,
      Hentai: 0.2,
      Neutral: 0.3,
      Porn: 0.25,
      Sexy: 0.15,
    });
    expect(() => scoresByLabel(nsfwManifest, [1, 0])).toThrow(/2 values/);
  });
});
