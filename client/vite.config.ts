// Vite build of the Canopy web app. The sync-server serves `dist/` in production; in dev,
// `/api` and `/sync` are proxied to a running server (CANOPY_SERVER, default :8080).
// `source` comes first in the resolve conditions so @canopy/shared is bundled from src/.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, defaultClientConditions } from 'vite';
import type { Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';
import { BLOB_CACHE } from './src/sync/blob-cache.js';

const server = process.env.CANOPY_SERVER ?? 'http://localhost:8080';

/** What is worth compressing: text, the ONNX runtime's wasm and the model. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|wasm|onnx)$/;

/**
 * Writes `.br` and `.gz` beside every compressible file of the build (when smaller by a tenth
 * or more); the sync-server sends them to browsers that accept them. The 14 MB wasm goes
 * out as 2.7 MB.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'canopy-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' });
        for (const name of files.filter((f) => COMPRESSIBLE.test(f))) {
          const file = path.join(outDir, name);
          const bytes = readFileSync(file);
          if (bytes.length < 1024) continue;
          const variants: [string, Buffer][] = [
            [
              '.br',
              brotliCompressSync(bytes, {
                params: {
                  [zlib.BROTLI_PARAM_QUALITY]: 9,
                  [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length,
                },
              }),
            ],
            ['.gz', gzipSync(bytes, { level: 9 })],
          ];
          for (const [ext, packed] of variants) {
            if (packed.length <= bytes.length * 0.9) writeFileSync(file + ext, packed);
          }
        }
      },
    },
  };
}

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        name: 'Canopy',
        short_name: 'Canopy',
        description: 'Local-first group chat',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#0f1a14',
        theme_color: '#2f7d4f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/icon-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        // public/ icons are matched here; the plugin adds the manifest itself.
        // The classifier's model and the ONNX runtime's wasm are precached too, so images are
        // checked offline; the wasm is ~14 MB, above workbox's 2 MiB default limit. So is
        // the emoji picker's data (json, ~440 kB), so it opens offline the first time too.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,wasm,onnx,json}'],
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        navigateFallback: '/index.html',
        // API calls and the relay must never be answered by the shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
        // Attachments: blobs are content-addressed and immutable, so a cached copy is always
        // right (CacheFirst) and stays viewable offline. Only complete 200 answers are kept;
        // range requests (video seeking) are answered from a cached copy when there is one.
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin && url.pathname.startsWith('/api/blobs/'),
            handler: 'CacheFirst',
            method: 'GET',
            options: {
              cacheName: BLOB_CACHE,
              cacheableResponse: { statuses: [200] },
              rangeRequests: true,
              expiration: {
                maxEntries: 500,
                maxAgeSeconds: 60 * 60 * 24 * 90,
                purgeOnQuotaError: true,
              },
            },
          },
        ],
        cleanupOutdatedCaches: true,
      },
    }),
    precompress(),
  ],
  resolve: { conditions: ['@canopy/source', ...defaultClientConditions] },
  build: { target: 'es2022', sourcemap: true },
  // The image worker (src/media/classifier.worker.ts) is an ES module: onnxruntime-web and the
  // model/wasm `?url` assets need code splitting and import.meta.url, which IIFE workers lack.
  worker: { format: 'es' },
  server: {
    proxy: {
      // The server checks Origin on state-changing requests; present the target's origin.
      '/api': {
        target: server,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => req.setHeader('origin', server));
        },
      },
      '/sync': {
        target: server,
        ws: true,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', server));
        },
      },
    },
  },
});
