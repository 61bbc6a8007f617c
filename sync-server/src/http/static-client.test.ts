import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness } from './testing/app-harness.js';

let h: AppHarness;
let clientDir: string;

beforeEach(() => {
  clientDir = mkdtempSync(path.join(tmpdir(), 'canopy-client-'));
  mkdirSync(path.join(clientDir, 'assets'));
  writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Canopy</title>');
  writeFileSync(path.join(clientDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(path.join(clientDir, 'assets', 'index-4f3a2b1c.js'), 'console.log(1)');
  h = createAppHarness({ clientDir });
});
afterEach(async () => {
  await h.close();
  rmSync(clientDir, { recursive: true, force: true });
});

describe('built client', () => {
  it('serves hashed assets immutable and the shell files no-cache', async () => {
    const asset = await h.request('GET', '/assets/index-4f3a2b1c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const sw = await h.request('GET', '/sw.js');
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const root = await h.request('GET', '/');
    expect(await root.text()).toContain('<title>Canopy</title>');
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(root.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('sends the compressed copy the build left to browsers that accept it', async () => {
    const wasm = Buffer.alloc(64 * 1024, 'canopy ');
    writeFileSync(path.join(clientDir, 'assets', 'ort-1a2b3c4d.wasm'), wasm);
    writeFileSync(path.join(clientDir, 'assets', 'ort-1a2b3c4d.wasm.gz'), gzipSync(wasm));
    const packed = await h.request('GET', '/assets/ort-1a2b3c4d.wasm', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(packed.status).toBe(200);
    expect(packed.headers.get('content-encoding')).toBe('gzip');
    expect(packed.headers.get('content-type')).toBe('application/wasm');
    expect(packed.headers.get('vary')).toContain('Accept-Encoding');
    expect(packed.headers.get('cache-control')).toContain('immutable');
    const body = Buffer.from(await packed.arrayBuffer());
    expect(body.length).toBeLessThan(wasm.length / 10);
    expect(gunzipSync(body).equals(wasm)).toBe(true);
    // Without gzip in Accept-Encoding, the file as it is.
    const plain = await h.request('GET', '/assets/ort-1a2b3c4d.wasm');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(wasm)).toBe(true);
  });

  it('falls back to index.html for client routes but not for /api, /sync or missing files', async () => {
    const route = await h.request('GET', '/groups/abc');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Canopy');
    expect((await h.request('GET', '/api/unknown')).headers.get('content-type')).toContain(
      'application/json',
    );
    expect((await h.request('GET', '/sync/x')).status).toBe(404);
    expect((await h.request('GET', '/assets/missing-123.js')).status).toBe(404);
    expect((await h.request('GET', '/../etc/passwd')).status).not.toBe(500);
  });
});
