// The image policy decision: compares each policed class's score with its threshold and
// takes the most severe action triggered. It never looks at which class scored highest,
// so a photo that is 45% Porn and 55% Neutral is still caught by a 0.4 Porn threshold.
import type { ClassifierPolicy, PolicyAction } from './manifest.js';

export interface DecisionReason {
  label: string;
  score: number;
  threshold: number;
  action: PolicyAction;
}

export interface Decision {
  action: PolicyAction;
  /** Triggered rules, most severe first, then by score. Empty when nothing triggered. */
  reasons: DecisionReason[];
}

const severity: Record<PolicyAction, number> = { allow: 0, blur: 1, block: 2 };

/**
 * Decides what to do with an image from its per-label scores. Every label named by the policy
 * must have a finite score in [0, 1]: a missing or NaN score throws rather than silently
 * allowing (callers must treat a throw as "could not classify", never as "safe").
 */
export function decide(
  scores: Readonly<Record<string, number>>,
  policy: ClassifierPolicy,
): Decision {
  const reasons: DecisionReason[] = [];
  for (const [label, rule] of Object.entries(policy)) {
    const score = scores[label];
    if (score === undefined) throw new Error(`no score for policed label ${label}`);
    if (!Number.isFinite(score) || score < 0 || score > 1) {
      throw new Error(`score for ${label} is not a probability: ${score}`);
    }
    if (rule.action !== 'allow' && score >= rule.threshold) {
      reasons.push({ label, score, threshold: rule.threshold, action: rule.action });
    }
  }
  reasons.sort((a, b) => severity[b.action] - severity[a.action] || b.score - a.score);
  return { action: reasons[0]?.action ?? 'allow', reasons };
}
