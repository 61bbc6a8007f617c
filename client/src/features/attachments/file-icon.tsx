// Line icons for attachments (ui/line-icon.tsx); the file name says what each one is.
import { Match, Switch } from 'solid-js';
import type { JSX } from 'solid-js';
import { LineIcon } from '../../ui/line-icon.js';

function Svg(props: { size: number; children: JSX.Element }): JSX.Element {
  return (
    <LineIcon size={props.size} class="attachment-icon">
      {props.children}
    </LineIcon>
  );
}

export function PaperclipIcon(): JSX.Element {
  return (
    <Svg size={20}>
      <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
    </Svg>
  );
}

export function FileIconFor(props: { mime: string }): JSX.Element {
  return (
    <Svg size={28}>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5" />
      <Switch>
        <Match when={props.mime.startsWith('audio/')}>
          <path d="M10 17.5V11l5-1v6" />
          <circle cx="9" cy="17.5" r="1.3" />
          <circle cx="14" cy="16" r="1.3" />
        </Match>
        <Match when={props.mime.startsWith('video/')}>
          <path d="M10 11v6l5-3z" />
        </Match>
        <Match when={props.mime.startsWith('image/')}>
          <circle cx="10" cy="12" r="1.3" />
          <path d="M7 18l4-4 2 2 2-2 2 4" />
        </Match>
        <Match when={true}>
          <path d="M8.5 13h7M8.5 16.5h7" />
        </Match>
      </Switch>
    </Svg>
  );
}
