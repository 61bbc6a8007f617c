// Which image policy applies and how a decision reads to a person. Pure: used by the worker
// (decisions) and the settings page (showing the effective policy).
import type { ImagePolicy } from '@canopy/shared';
import type { ClassifierManifest, Decision } from '@canopy/models';

/** A group's stored policy, or the classifier's default when the group has none (null). */
export function effectivePolicy(
  policy: ImagePolicy | null | undefined,
  manifest: ClassifierManifest,
): ImagePolicy {
  return policy ?? manifest.defaultPolicy;
}

/**
 * The rules for profile pictures: the operator's avatar policy (null = the classifier's
 * default) with every `blur` turned into `block` (a picture shows everywhere, unblurred).
 */
export function avatarRules(
  policy: ImagePolicy | null | undefined,
  manifest: ClassifierManifest,
): ImagePolicy {
  return Object.fromEntries(
    Object.entries(effectivePolicy(policy, manifest)).map(([label, rule]) => [
      label,
      { ...rule, action: rule.action === 'blur' ? 'block' : rule.action },
    ]),
  );
}

const fmt = (n: number): string => n.toFixed(2);

/** "Porn 0.93 ≥ 0.60, Hentai 0.71 ≥ 0.60" for the triggered rules of one action. */
export function describeReasons(decision: Decision, action: 'blur' | 'block'): string {
  return decision.reasons
    .filter((r) => r.action === action)
    .map((r) => `${r.label} ${fmt(r.score)} ≥ ${fmt(r.threshold)}`)
    .join(', ');
}

/** The message a sender sees when their image is refused. */
export function blockedReason(decision: Decision): string {
  return `Blocked by this group's image policy: ${describeReasons(decision, 'block')}`;
}
