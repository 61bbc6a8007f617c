import { describe, expect, it } from 'vitest';
import { decide, nsfwManifest } from '@canopy/models';
import { blockedReason, describeReasons, effectivePolicy } from './policy-reason.js';

const scores = { Drawing: 0.02, Hentai: 0.71, Neutral: 0.01, Porn: 0.93, Sexy: 0.55 };

describe('effectivePolicy', () => {
  it('uses the manifest default when the group has no policy', () => {
    expect(effectivePolicy(null, nsfwManifest)).toBe(nsfwManifest.defaultPolicy);
    const own = { Drawing: { threshold: 0.3, action: 'block' as const } };
    expect(effectivePolicy(own, nsfwManifest)).toBe(own);
  });
});

describe('blockedReason', () => {
  it('names every blocking rule with score and threshold, highest score first', () => {
    const decision = decide(scores, nsfwManifest.defaultPolicy);
    expect(decision.action).toBe('block');
    expect(blockedReason(decision)).toBe(
      "Blocked by this group's image policy: Porn 0.93 ≥ 0.60, Hentai 0.71 ≥ 0.60",
    );
    expect(describeReasons(decision, 'blur')).toBe('Sexy 0.55 ≥ 0.50');
  });
});
