import { describe, expect, it } from 'vitest';
import { decide, nsfwManifest } from '@canopy/models';
import { avatarRules, blockedReason, describeReasons, effectivePolicy } from './policy-reason.js';

const scores = { Drawing: 0.02, Hentai: 0.71, Neutral: 0.01, Porn: 0.93, Sexy: 0.55 };

describe('effectivePolicy', () => {
  it('uses the manifest default when the group has no policy', () => {
    expect(effectivePolicy(null, nsfwManifest)).toBe(nsfwManifest.defaultPolicy);
    const own = { Drawing: { threshold: 0.3, action: 'block' as const } };
    expect(effectivePolicy(own, nsfwManifest)).toBe(own);
  });
});

describe('avatarRules', () => {
  it('refuses what would be blurred, under the default and under an own policy', () => {
    expect(avatarRules(null, nsfwManifest)).toEqual({
      Hentai: { threshold: 0.6, action: 'block' },
      Porn: { threshold: 0.6, action: 'block' },
      Sexy: { threshold: 0.5, action: 'block' },
    });
    const own = {
      Drawing: { threshold: 0.3, action: 'blur' as const },
      Porn: { threshold: 0.2, action: 'allow' as const },
    };
    expect(avatarRules(own, nsfwManifest)).toEqual({
      Drawing: { threshold: 0.3, action: 'block' },
      Porn: { threshold: 0.2, action: 'allow' },
    });
    // A picture that an attachment policy would only blur is refused.
    const sexy = { ...scores, Hentai: 0.1, Porn: 0.1 };
    expect(decide(sexy, nsfwManifest.defaultPolicy).action).toBe('blur');
    expect(decide(sexy, avatarRules(null, nsfwManifest)).action).toBe('block');
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
