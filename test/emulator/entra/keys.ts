import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { generateRsaPem, selfSignedCert } from '../tls.js';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64 DER of the key's certificate, for `x5c`. */
  certB64: string;
}

export interface Jwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
  issuer: string;
}

function newSigningKey(): SigningKey {
  const { privateKeyPem, publicKeyPem } = generateRsaPem();
  const certPem = selfSignedCert(privateKeyPem, publicKeyPem, 'accounts.accesscontrol.windows.net');
  const der = new X509Certificate(certPem).raw;
  // Entra's kid equals x5t: base64url SHA-1 thumbprint of the certificate.
  const kid = createHash('sha1').update(der).digest('base64url');
  return { kid, privateKey: createPrivateKey(privateKeyPem), publicKey: createPublicKey(publicKeyPem), certB64: der.toString('base64') };
}

/**
 * The tenant's token-signing keys. `rotate` adds a new active key; with `retireOld` the previous
 * keys leave the JWKS at once, so tokens they signed stop validating (clients must refetch keys).
 */
export class KeyRing {
  private keys: SigningKey[] = [newSigningKey()];

  get active(): SigningKey {
    const key = this.keys[this.keys.length - 1];
    if (!key) throw new Error('no signing key');
    return key;
  }

  find(kid: string): SigningKey | undefined {
    return this.keys.find((k) => k.kid === kid);
  }

  rotate(retireOld: boolean): SigningKey {
    const key = newSigningKey();
    this.keys = retireOld ? [key] : [...this.keys, key];
    return key;
  }

  /** Newest key first, like login.microsoftonline.com. */
  jwks(issuer: string): { keys: Jwk[] } {
    return {
      keys: [...this.keys].reverse().map((k) => {
        const jwk = k.publicKey.export({ format: 'jwk' });
        return { kty: 'RSA', use: 'sig', kid: k.kid, x5t: k.kid, n: String(jwk.n), e: String(jwk.e), x5c: [k.certB64], issuer };
      }),
    };
  }
}
