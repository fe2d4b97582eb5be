import { crc32, deflateSync } from 'node:zlib';

/**
 * The toolbar and store icons, drawn at build time (no binary files in the repository): a
 * rounded square in the brand blue with a white handset-like bar. Encoded as 8-bit RGBA PNG.
 */
export const ICON_SIZES = [16, 32, 48, 128] as const;

const BRAND: readonly [number, number, number] = [0x1f, 0x5f, 0xbf];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Whether pixel (x, y) of a size×size icon is inside the rounded square / the white mark. */
function inside(size: number, x: number, y: number): { square: boolean; mark: boolean } {
  const r = size * 0.22;
  const cx = Math.min(Math.max(x + 0.5, r), size - r);
  const cy = Math.min(Math.max(y + 0.5, r), size - r);
  const square = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  const bar = v > 0.42 && v < 0.58 && u > 0.22 && u < 0.78;
  const ends = (u > 0.22 && u < 0.36 && v > 0.3 && v < 0.7) || (u > 0.64 && u < 0.78 && v > 0.3 && v < 0.7);
  return { square, mark: square && (bar || ends) };
}

export function iconPng(size: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x += 1) {
      const { square, mark } = inside(size, x, y);
      const [red, green, blue] = mark ? [255, 255, 255] : BRAND;
      row.set([red, green, blue, square ? 255 : 0], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
