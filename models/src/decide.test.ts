import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { nsfwManifest } from './index.js';
import type { ClassifierPolicy } from './manifest.js';

const policy: ClassifierPolicy = {
  Hentai: { threshold: 0.6, action: 'block' },
  Porn: { threshold: 0.6, action: 'block' },
  Sexy: { threshold: 0.5, action: 'blur' },
};
const scores = (s: Partial<Record<string, number>>) => ({
  Drawing: 0,
  Hentai: 0,
  Neutral: 0,
  Porn: 0,
  Sexy: 0,
  ...s,
});

describe('decide', () => {
  it('allows when no policed class reaches its threshold', () => {
    expect(decide(scores({ Neutral: 0.9, Sexy: 0.1 }), policy)).toEqual({
      action: 'allow',
      reasons: [],
    });
  });

  it('acts on unsafe scores even when a safe class is the top class', () => {
    const d = decide(scores({ Neutral: 0.45, Porn: 0.44, Sexy: 0.11 }), {
      ...policy,
      Porn: { threshold: 0.4, action: 'block' },
    });
    expect(d.action).toBe('block');
    expect(d.reasons).toEqual([{ label: 'Porn', score: 0.44, threshold: 0.4, action: 'block' }]);
  });

  it('does not act on an unsafe top class below its threshold', () => {
    expect(decide(scores({ Sexy: 0.49, Neutral: 0.3 }), policy).action).toBe('allow');
  });

  it('treats the threshold as inclusive', () => {
    expect(decide(scores({ Sexy: 0.5 }), policy).action).toBe('blur');
  });

  it('takes the most severe triggered action and lists every triggered rule', () => {
    const d = decide(scores({ Sexy: 0.9, Porn: 0.61 }), policy);
    expect(d.action).toBe('block');
    expect(d.reasons.map((r) => [r.label, r.action])).toEqual([
      ['Porn', 'block'],
      ['Sexy', 'blur'],
    ]);
  });

  it('never triggers an allow rule, whatever the score', () => {
    const d = decide(scores({ Porn: 1 }), { Porn: { threshold: 0, action: 'allow' } });
    expect(d).toEqual({ action: 'allow', reasons: [] });
  });

  it('can police any label, e.g. Drawing for a group that blocks drawings', () => {
    const d = decide(scores({ Drawing: 0.8 }), { Drawing: { threshold: 0.7, action: 'block' } });
    expect(d.action).toBe('block');
  });

  it('fails closed on missing or non-probability scores instead of allowing', () => {
    expect(() => decide({ Porn: 0.1 }, policy)).toThrow(/no score for policed label Hentai/);
    expect(() => decide(scores({ Porn: Number.NaN }), policy)).toThrow(/not a probability/);
    expect(() => decide(scores({ Porn: 1.5 }), policy)).toThrow(/not a probability/);
  });

  it("works with the bundled manifest's default policy", () => {
    expect(decide(scores({ Neutral: 1 }), nsfwManifest.defaultPolicy).action).toBe('allow');
    expect(decide(scores({ Hentai: 0.7 }), nsfwManifest.defaultPolicy).action).toBe('block');
    expect(decide(scores({ Sexy: 0.55 }), nsfwManifest.defaultPolicy).action).toBe('blur');
  });
});
