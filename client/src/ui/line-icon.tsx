// Small line icons drawn inline (emoji fonts are missing on some systems), 24×24 viewBox,
// stroked in the text colour. Decorative: hidden from assistive technology, so the control
// or text next to one names what it means.
import type { JSX } from 'solid-js';

const STROKE = {
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': 1.8,
  'stroke-linecap': 'round',
  'stroke-linejoin': 'round',
} as const;

export function LineIcon(props: {
  size: number;
  class?: string;
  children: JSX.Element;
}): JSX.Element {
  return (
    <svg
      class={props.class ?? 'line-icon'}
      width={props.size}
      height={props.size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      {...STROKE}
    >
      {props.children}
    </svg>
  );
}

export function SearchIcon(): JSX.Element {
  return (
    <LineIcon size={18}>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M20 20l-4.2-4.2" />
    </LineIcon>
  );
}

export function PinIcon(): JSX.Element {
  return (
    <LineIcon size={18}>
      <path d="M9 3h6l-1 6 4 4H6l4-4z" />
      <path d="M12 13v8" />
    </LineIcon>
  );
}

/** Settings, drawn as three sliders. */
export function SettingsIcon(): JSX.Element {
  return (
    <LineIcon size={18}>
      <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
      <circle cx="16" cy="6" r="2" />
      <circle cx="10" cy="12" r="2" />
      <circle cx="18" cy="18" r="2" />
    </LineIcon>
  );
}

/** A struck-through bell: muted. */
export function BellOffIcon(props: { class: string }): JSX.Element {
  return (
    <LineIcon size={14} class={props.class}>
      <path d="M18 16v-5a6 6 0 0 0-9.2-5.1M6.3 8.2A6 6 0 0 0 6 11v5l-2 2h14" />
      <path d="M10 20a2 2 0 0 0 4 0" />
      <path d="M3 3l18 18" />
    </LineIcon>
  );
}

/** A five-pointed star, filled when `filled` (a starred conversation). */
export function StarIcon(props: { filled: boolean }): JSX.Element {
  return (
    <LineIcon size={18} class={props.filled ? 'line-icon star-icon filled' : 'line-icon star-icon'}>
      <path d="M12 3.5l2.6 5.3 5.8.8-4.2 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.2-4.1 5.8-.8z" />
    </LineIcon>
  );
}

/** A speech bubble with a dot: mark as unread. */
export function UnreadIcon(): JSX.Element {
  return (
    <LineIcon size={18}>
      <path d="M13 4H6a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h2v3.5l4-3.5h6a2 2 0 0 0 2-2v-4" />
      <circle cx="18.5" cy="5.5" r="2.5" fill="currentColor" />
    </LineIcon>
  );
}
