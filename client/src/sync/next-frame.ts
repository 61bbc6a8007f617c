// Runs `fn` once: in the next animation frame, or after `timeoutMs` if no frame comes first
// (hidden tabs get no frames). UI updates scheduled this way land in the frame that paints
// them, together with whatever else that frame renders, instead of each in a frame of its own.
export function nextFrame(fn: () => void, timeoutMs: number): () => void {
  let done = false;
  const run = (): void => {
    if (done) return;
    cancel();
    fn();
  };
  const frame = requestAnimationFrame(run);
  const timer = setTimeout(run, timeoutMs);
  const cancel = (): void => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
  return cancel;
}
