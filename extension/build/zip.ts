import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal, dependency-free ZIP writer for store uploads (PKWARE APPNOTE 6.3: local headers,
 * central directory, end record; deflate or stored, no ZIP64 — an extension is far below 4 GiB).
 * Every entry gets the same DOS timestamp (1980-01-01) so two builds of one tree are byte-identical.
 */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;

interface Entry {
  name: Buffer;
  crc: number;
  method: 0 | 8;
  data: Buffer;
  size: number;
  offset: number;
}

function localHeader(e: Entry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(UTF8_FLAG, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.data.length, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  return Buffer.concat([h, e.name]);
}

function centralHeader(e: Entry): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(UTF8_FLAG, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(e.data.length, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
  h.writeUInt32LE(e.offset, 42);
  return Buffer.concat([h, e.name]);
}

/** The files of a ZIP archive, given as archive path → contents (forward slashes). */
export function zipBytes(files: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  for (const [path, content] of files) {
    const deflated = deflateRawSync(content, { level: 9 });
    const stored = deflated.length >= content.length;
    const entry: Entry = {
      name: Buffer.from(path, 'utf8'),
      crc: crc32(content),
      method: stored ? 0 : 8,
      data: stored ? content : deflated,
      size: content.length,
      offset,
    };
    const header = localHeader(entry);
    parts.push(header, entry.data);
    offset += header.length + entry.data.length;
    entries.push(entry);
  }
  const central = Buffer.concat(entries.map(centralHeader));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, central, end]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/** Zips a directory's files (sorted, paths relative to it) into `target`. */
export function zipDirectory(dir: string, target: string): void {
  const files = filesUnder(dir).map((full) => [relative(dir, full).split(sep).join('/'), readFileSync(full)] as const);
  writeFileSync(target, zipBytes(files));
}
