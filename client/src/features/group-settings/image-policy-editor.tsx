// The group's image policy in settings: per classifier label, a threshold and the action
// taken at or above it. Owners/admins edit and save it (PATCH imagePolicy); members see it
// read-only. Anyone can try an image against the rules on screen; it never leaves the device.
import { For, Show, createEffect, createSignal, on } from 'solid-js';
import type { JSX } from 'solid-js';
import { imagePolicySchema } from '@canopy/shared';
import type { ImagePolicy, PolicyAction } from '@canopy/shared';
import { nsfwManifest } from '@canopy/models';
import { prepareImage } from '../../media/prepare-image.js';
import { describeReasons, effectivePolicy } from '../../media/policy-reason.js';
import { FormError } from '../../ui/form-error.js';

const ACTIONS: { value: PolicyAction; text: string }[] = [
  { value: 'allow', text: 'Allow' },
  { value: 'blur', text: 'Blur for others' },
  { value: 'block', text: 'Block' },
];
const manifest = nsfwManifest;

export interface ImagePolicyEditorProps {
  /** The group's stored policy; null means the classifier's default. */
  policy: ImagePolicy | null;
  canEdit: boolean;
  /** Saves the policy (null restores the default); the page reports success or failure. */
  onSave: (policy: ImagePolicy | null) => Promise<void>;
}

export function ImagePolicyEditor(props: ImagePolicyEditorProps): JSX.Element {
  const [draft, setDraft] = createSignal<ImagePolicy>({});
  const [invalid, setInvalid] = createSignal<string | null>(null);
  // A fresh policy from the server (after a save, or another admin's) resets the draft.
  createEffect(
    on(
      () => JSON.stringify(props.policy),
      () => setDraft({ ...effectivePolicy(props.policy, manifest) }),
    ),
  );

  const rows = (): string[] => {
    const named = Object.keys(draft());
    return [...manifest.unsafeLabels, ...named.filter((l) => !manifest.unsafeLabels.includes(l))];
  };
  const unused = (): string[] => manifest.labels.filter((l) => !(l in draft()));
  const setRule = (label: string, patch: Partial<{ threshold: number; action: PolicyAction }>) =>
    setDraft((d) => ({
      ...d,
      [label]: {
        threshold: d[label]?.threshold ?? 0.5,
        action: d[label]?.action ?? 'allow',
        ...patch,
      },
    }));
  const removeRule = (label: string) =>
    setDraft((d) => Object.fromEntries(Object.entries(d).filter(([l]) => l !== label)));

  const save = (e: SubmitEvent): void => {
    e.preventDefault();
    const parsed = imagePolicySchema.safeParse(draft());
    if (!parsed.success) {
      setInvalid('Each threshold is a number from 0 to 1.');
      return;
    }
    setInvalid(null);
    void props.onSave(parsed.data);
  };

  return (
    <section class="stack" aria-labelledby="image-policy-title">
      <h2 id="image-policy-title">Image policy</h2>
      <p>
        Images are checked on the sender's device before they are shared. At or above a label's
        threshold, the image is blocked, or blurred for the other members until they choose to see
        it.
        <Show when={props.policy === null}> This group uses the default policy.</Show>
      </p>
      <FormError message={invalid()} />
      <form class="stack" onSubmit={save} aria-label="Image policy rules">
        <For each={rows()}>
          {(label) => (
            <div class="row">
              <span class="member-name" title={manifest.descriptions[label] ?? ''}>
                {label}
              </span>
              <input
                type="number"
                min="0"
                max="1"
                step="0.05"
                aria-label={`Threshold for ${label}`}
                value={draft()[label]?.threshold ?? ''}
                disabled={!props.canEdit || !(label in draft())}
                onInput={(e) => setRule(label, { threshold: e.currentTarget.valueAsNumber })}
              />
              <select
                aria-label={`Action for ${label}`}
                value={draft()[label]?.action ?? 'allow'}
                disabled={!props.canEdit}
                onChange={(e) => setRule(label, { action: e.currentTarget.value as PolicyAction })}
              >
                <For each={ACTIONS}>{(a) => <option value={a.value}>{a.text}</option>}</For>
              </select>
              <Show when={props.canEdit && !manifest.unsafeLabels.includes(label)}>
                <button
                  type="button"
                  aria-label={`Remove rule ${label}`}
                  onClick={() => removeRule(label)}
                >
                  Remove
                </button>
              </Show>
            </div>
          )}
        </For>
        <Show when={props.canEdit}>
          <AddRule
            labels={unused()}
            onAdd={(l) => setRule(l, { threshold: 0.5, action: 'block' })}
          />
          <div class="row">
            <button type="submit">Save image policy</button>
            <button
              type="button"
              disabled={props.policy === null}
              onClick={() => void props.onSave(null)}
            >
              Restore default policy
            </button>
          </div>
        </Show>
      </form>
      <PolicyTester policy={draft()} />
    </section>
  );
}

function AddRule(props: { labels: string[]; onAdd: (label: string) => void }): JSX.Element {
  const [pick, setPick] = createSignal('');
  return (
    <Show when={props.labels.length > 0}>
      <div class="row">
        <select
          aria-label="Add a rule for"
          value={pick()}
          onChange={(e) => setPick(e.currentTarget.value)}
        >
          <option value="">Add a rule for…</option>
          <For each={props.labels}>{(l) => <option value={l}>{l}</option>}</For>
        </select>
        <button
          type="button"
          disabled={pick() === ''}
          onClick={() => (props.onAdd(pick()), setPick(''))}
        >
          Add rule
        </button>
      </div>
    </Show>
  );
}

/** Runs the real on-device check on a chosen image under the rules on screen. */
function PolicyTester(props: { policy: ImagePolicy }): JSX.Element {
  const [result, setResult] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const tryFile = async (file: File): Promise<void> => {
    setBusy(true);
    setResult(null);
    try {
      const r = await prepareImage(file, props.policy);
      if (r.kind === 'blocked') setResult(r.reason);
      else if (r.decision.action === 'blur')
        setResult(`Blurred for others: ${describeReasons(r.decision, 'blur')}`);
      else setResult('Allowed');
    } catch (err) {
      setResult(`Could not check this image: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <label for="policy-try-image">Try an image</label>
      <input
        id="policy-try-image"
        type="file"
        accept="image/*"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void tryFile(file);
        }}
      />
      <p role="status" aria-label="Image check result" aria-busy={busy()}>
        {busy() ? 'Checking…' : (result() ?? '')}
      </p>
    </div>
  );
}
