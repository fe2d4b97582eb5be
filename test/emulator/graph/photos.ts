import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Router } from '../http/router.js';
import type { UserRecord } from '../state/types.js';
import { collection, ok, type GraphCtx } from './context.js';
import { fail, graphHeaders } from './errors.js';
import { PERMS, requirePermission } from './permissions.js';

const SIZE = 48;

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A small solid-colour PNG, colour derived from the user id: deterministic and cheap. */
export function avatarPng(userId: string): Buffer {
  const [r = 0, g = 0, b = 0] = createHash('sha1').update(userId).digest();
  const row = Buffer.alloc(1 + SIZE * 3);
  for (let x = 0; x < SIZE; x++) row.set([r, g, b], 1 + x * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.concat(Array.from({ length: SIZE }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function photoUser(ctx: GraphCtx, id: string): UserRecord {
  requirePermission(ctx.auth, PERMS.photoRead);
  const u = ctx.svc.state.directory.findUser(id) ?? fail(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  if (!u.hasPhoto) fail(404, 'ImageNotFound', "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.");
  return u;
}

const etag = (u: UserRecord): string => `W/"${createHash('sha1').update(`${u.data.id}photo`).digest('hex')}"`;

function metadata(ctx: GraphCtx, u: UserRecord, size = `${SIZE}x${SIZE}`): Record<string, unknown> {
  return { '@odata.mediaContentType': 'image/png', '@odata.mediaEtag': etag(u), id: size, height: SIZE, width: SIZE };
}

export function registerPhotos(r: Router<GraphCtx>): void {
  const bytes = (ctx: GraphCtx, id: string): ReturnType<typeof ok> => {
    const u = photoUser(ctx, id);
    return { status: 200, headers: { 'content-type': 'image/png', etag: etag(u), ...graphHeaders(ctx.ids) }, body: avatarPng(u.data.id) };
  };
  r.get('/v1.0/users/:id/photo', (ctx, p) => ok(ctx, metadata(ctx, photoUser(ctx, p.id ?? ''))));
  r.get('/v1.0/users/:id/photo/$value', (ctx, p) => bytes(ctx, p.id ?? ''));
  r.get('/v1.0/users/:id/photos', (ctx, p) => collection(ctx, 'photos', [metadata(ctx, photoUser(ctx, p.id ?? ''))]));
  r.get('/v1.0/users/:id/photos/:size/$value', (ctx, p) => bytes(ctx, p.id ?? ''));
}
