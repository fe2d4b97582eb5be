import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';

/**
 * Encrypts secrets at rest with AES-256-GCM. Each value records the id of the key that sealed it,
 * so keys can rotate: the first key encrypts, every configured key can decrypt. The optional
 * `context` is bound as associated data, so a ciphertext copied to another row does not open.
 */
export interface SecretBox {
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
  /** Id of the key that encrypts new values. */
  readonly currentKeyId: string;
}

const VERSION = 'v1';

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function decodeKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) {
    throw new AppError('config_invalid', 'UCBRIDGE_SECRET_KEY must hold base64 keys of exactly 32 bytes.', {
      hint: 'Generate one with: openssl rand -base64 32',
    });
  }
  return key;
}

export function createSecretBox(keys: Buffer[]): SecretBox {
  const [current] = keys;
  if (!current) throw new AppError('secret_key_missing', 'No encryption key is configured.');
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const currentKeyId = keyId(current);
  return {
    currentKeyId,
    seal(plaintext, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return [VERSION, currentKeyId, ...parts].join('.');
    },
    open(sealed, context = '') {
      const [version, kid, iv, tag, body] = sealed.split('.');
      const key = kid ? byId.get(kid) : undefined;
      if (version !== VERSION || !key || iv === undefined || tag === undefined || body === undefined) {
        throw new AppError('secret_undecryptable', 'A stored secret cannot be decrypted with the configured keys.', {
          hint: 'Add the previous key to UCBRIDGE_SECRET_KEY (comma-separated, new key first).',
        });
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new AppError('secret_undecryptable', 'A stored secret failed its integrity check.', undefined, { cause });
      }
    },
  };
}

/**
 * Keys from `UCBRIDGE_SECRET_KEY` (comma-separated, newest first), else from `<dataDir>/secret.key`,
 * created with 0600 permissions on first start. Several instances on one PostgreSQL must share
 * the key, so the key file is only allowed for the embedded SQLite mode.
 */
export function loadSecretKeys(options: { secretKey?: string | undefined; dataDir: string; shared: boolean }): Buffer[] {
  if (options.secretKey) return options.secretKey.split(',').map(decodeKey);
  if (options.shared) {
    throw new AppError('secret_key_missing', 'UCBRIDGE_SECRET_KEY is required when DATABASE_URL is set.', {
      hint: 'Every instance must use the same key: generate one with `openssl rand -base64 32`.',
    });
  }
  const file = join(options.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim().split(',').map(decodeKey);
}
