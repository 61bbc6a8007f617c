// @canopy/models public surface: the classifier manifest schema, the bundled nsfw manifest and
// the policy decision. Browser-safe: no node:* and no ONNX runtime here (the client owns that).
import nsfwManifestJson from './nsfw.manifest.json' with { type: 'json' };
import { parseManifest, type ClassifierManifest } from './manifest.js';

export * from './manifest.js';
export * from './decide.js';
export * from './image-input.js';

/** The default image classifier (nsfwjs MobileNetV2); its .onnx is models/<model>. */
export const nsfwManifest: ClassifierManifest = parseManifest(nsfwManifestJson);
