// Drag and drop of files onto a screen: handlers to spread on the drop target and whether
// files are being dragged over it. Only drags that carry files react (not text or links).
import { createSignal } from 'solid-js';
import type { Accessor, JSX } from 'solid-js';

export interface FileDrop {
  dragging: Accessor<boolean>;
  handlers: {
    onDragEnter: JSX.EventHandler<HTMLElement, DragEvent>;
    onDragOver: JSX.EventHandler<HTMLElement, DragEvent>;
    onDragLeave: JSX.EventHandler<HTMLElement, DragEvent>;
    onDrop: JSX.EventHandler<HTMLElement, DragEvent>;
  };
}

const carriesFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') ?? false;

export function createFileDrop(onFiles: (files: File[]) => void, onEnter?: () => void): FileDrop {
  const [dragging, setDragging] = createSignal(false);
  // dragenter/dragleave fire for every child crossed; count them to know when we left.
  let depth = 0;
  return {
    dragging,
    handlers: {
      onDragEnter(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth++;
        if (!dragging()) onEnter?.();
        setDragging(true);
      },
      onDragOver(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(e) {
        if (!carriesFiles(e)) return;
        depth = Math.max(0, depth - 1);
        if (depth === 0) setDragging(false);
      },
      onDrop(e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth = 0;
        setDragging(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length > 0) onFiles(files);
      },
    },
  };
}
