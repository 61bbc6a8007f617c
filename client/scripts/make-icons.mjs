// Writes the PWA icons (public/icons/*.png) as plain PNGs with node:zlib, so the build needs
// no image tooling. Run once with `node scripts/make-icons.mjs`; the output is committed.
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size) {
  const rows = [];
  const cx = size / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      // Green field, a pale leaf-like canopy disc and a trunk.
      let rgb = [0x2f, 0x7d, 0x4f];
      const dx = x - cx;
      const dy = y - size * 0.42;
      if (dx * dx + dy * dy < (size * 0.28) ** 2) rgb = [0xe8, 0xf5, 0xe9];
      if (Math.abs(dx) < size * 0.05 && y > size * 0.55 && y < size * 0.8) rgb = [0xe8, 0xf5, 0xe9];
      row.set([...rgb, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, out), icon(size));
writeFileSync(
  new URL('icon.svg', out),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#2f7d4f"/><circle cx="32" cy="27" r="18" fill="#e8f5e9"/><rect x="29" y="35" width="6" height="17" fill="#e8f5e9"/></svg>\n`,
);
