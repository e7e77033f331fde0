// Draws the fwbench icon from one list of shapes into both icons/fwbench.svg
// and PNGs (icons/NxN.png, what electron-builder's linux.icon directory wants),
// so the two never drift apart. Pure Node (zlib); run: node build/packaging/make-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const VIEW = 256;

// A chip on a bench: teal tile, light die with pins, a dark core with a pulse.
const shapes = [
  { x: 8, y: 8, w: 240, h: 240, r: 48, fill: '#0f766e' },
  ...[0, 1, 2, 3].flatMap((i) => {
    const p = 78 + i * 30;
    return [
      { x: p, y: 40, w: 12, h: 30, r: 3, fill: '#e2e8f0' },
      { x: p, y: 186, w: 12, h: 30, r: 3, fill: '#e2e8f0' },
      { x: 40, y: p, w: 30, h: 12, r: 3, fill: '#e2e8f0' },
      { x: 186, y: p, w: 30, h: 12, r: 3, fill: '#e2e8f0' },
    ];
  }),
  { x: 64, y: 64, w: 128, h: 128, r: 16, fill: '#f8fafc' },
  { x: 84, y: 84, w: 88, h: 88, r: 10, fill: '#134e4a' },
  // the pulse: three bars
  { x: 98, y: 122, w: 14, h: 36, r: 4, fill: '#5eead4' },
  { x: 121, y: 100, w: 14, h: 58, r: 4, fill: '#5eead4' },
  { x: 144, y: 114, w: 14, h: 44, r: 4, fill: '#5eead4' },
];

function svg() {
  const body = shapes.map((s) => `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${s.fill}"/>`).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${VIEW}" height="${VIEW}" viewBox="0 0 ${VIEW} ${VIEW}">\n  <title>fwbench</title>\n${body}\n</svg>\n`;
}

function inRoundRect(px, py, s) {
  if (px < s.x || py < s.y || px > s.x + s.w || py > s.y + s.h) return false;
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r * s.r;
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

function png(size) {
  const SS = 4; // 4x4 supersampling for smooth edges
  const scale = VIEW / size;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const px = (x + (sx + 0.5) / SS) * scale;
          const py = (y + (sy + 0.5) / SS) * scale;
          for (let i = shapes.length - 1; i >= 0; i--) {
            if (!inRoundRect(px, py, shapes[i])) continue;
            const c = rgb(shapes[i].fill);
            r += c[0]; g += c[1]; b += c[2]; a += 255;
            break;
          }
        }
      const n = SS * SS;
      const cov = a / 255;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = cov ? Math.round(r / cov) : 0;
      raw[o + 1] = cov ? Math.round(g / cov) : 0;
      raw[o + 2] = cov ? Math.round(b / cov) : 0;
      raw[o + 3] = Math.round(a / n);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const out = join(here, 'icons');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'fwbench.svg'), svg());
for (const size of [512, 256, 128, 64, 32]) writeFileSync(join(out, `${size}x${size}.png`), png(size));
console.log(`icons written to ${out}`);
