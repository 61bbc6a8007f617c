// Service worker registration with workbox-window (production builds only). A new worker
// waits until the user accepts the "new version" prompt, then takes over and we reload.
import { Workbox } from 'workbox-window';
import { log } from '../log.js';

const logger = log.child('pwa');

export interface SwHandle {
  /** Activates the waiting worker and reloads once it controls the page. */
  update(): void;
}

export function registerServiceWorker(onUpdateAvailable: (handle: SwHandle) => void): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  const handle: SwHandle = {
    update() {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    },
  };
  wb.addEventListener('waiting', () => onUpdateAvailable(handle));
  wb.register().catch((err: unknown) =>
    logger.warn('service worker registration failed', { err: String(err) }),
  );
}
