// Faster string decoding for Yjs in the page. lib0 reads every string of a document (each
// key and each string value of every message record) with one call to its shared
// `TextDecoder`, and in Chromium a call costs ~0.25 µs however short the string: ~0.35 s of
// main-thread time to open a 100k-message group. Short ASCII strings (ids, keys, most
// words) decode ~2× faster in script. This wraps that one decoder instance (not the global
// `TextDecoder`): ASCII input of up to 64 bytes is decoded in script, anything else by the
// native decoder, so results and errors are the same.
import { utf8TextDecoder } from 'lib0/string';

const MAX_SCRIPT_BYTES = 64;

/** Returns false when there is no shared decoder to wrap (lib0 then decodes in script). */
export function installFastAsciiDecoding(decoder: TextDecoder | null = utf8TextDecoder): boolean {
  if (!decoder) return false;
  const native = decoder.decode.bind(decoder);
  decoder.decode = (input?: AllowSharedBufferSource, options?: TextDecodeOptions): string => {
    if (options === undefined && input instanceof Uint8Array && input.length <= MAX_SCRIPT_BYTES) {
      for (let i = 0; i < input.length; i++) if (input[i]! > 0x7f) return native(input);
      return String.fromCharCode.apply(null, input as unknown as number[]);
    }
    return native(input, options);
  };
  return true;
}
