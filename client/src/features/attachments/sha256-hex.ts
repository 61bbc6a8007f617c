// The hex SHA-256 of a file's bytes, as the server addresses blobs. Web Crypto exists only in
// secure contexts (HTTPS, localhost): elsewhere this rejects and the caller goes without.
export async function sha256Hex(body: Blob): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('no Web Crypto in this context');
  const digest = await crypto.subtle.digest('SHA-256', await body.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
