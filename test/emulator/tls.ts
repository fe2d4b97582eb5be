import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A PEM key pair plus the certificate issued for it. */
export interface CertBundle {
  keyPem: string;
  certPem: string;
  /** base64(sha256(SubjectPublicKeyInfo)): what Chromium's --ignore-certificate-errors-spki-list takes. */
  spkiSha256: string;
}

export interface CertificateAuthority extends CertBundle {
  /** Issues a server certificate for the given DNS names / IP addresses, signed by this CA. */
  issue(hosts: readonly string[]): CertBundle;
}

const DAY_MS = 86_400_000;

/** RSA keys come from Node's native crypto: forge's pure-JS key generation takes seconds. */
export function generateRsaPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function spkiHash(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

const isIp = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');

function baseCert(publicKeyPem: string, subject: forge.pki.CertificateField[], days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // Positive serial: a leading 0x01 byte keeps the DER integer from turning negative.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  cert.setSubject(subject);
  return cert;
}

/** A self-signed certificate for an existing key (used for the JWKS `x5c` of signing keys). */
export function selfSignedCert(privateKeyPem: string, publicKeyPem: string, commonName: string): string {
  const cert = baseCert(publicKeyPem, [{ name: 'commonName', value: commonName }], 365);
  cert.setIssuer(cert.subject.attributes);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Creates a throw-away CA; everything it issues is trusted by clients that load `certPem`. */
export function createCertificateAuthority(name = 'ucbridge emulator CA'): CertificateAuthority {
  const caKeys = generateRsaPem();
  const caSubject = [{ name: 'commonName', value: name }, { name: 'organizationName', value: 'ucbridge tests' }];
  const ca = baseCert(caKeys.publicKeyPem, caSubject, 3650);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const caKey = forge.pki.privateKeyFromPem(caKeys.privateKeyPem);
  ca.sign(caKey, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(ca);

  const issue = (hosts: readonly string[]): CertBundle => {
    const keys = generateRsaPem();
    const cert = baseCert(keys.publicKeyPem, [{ name: 'commonName', value: hosts[0] ?? 'localhost' }], 365);
    cert.setIssuer(ca.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      // altNames type 2 = dNSName, 7 = iPAddress (RFC 5280 GeneralName).
      { name: 'subjectAltName', altNames: hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { keyPem: keys.privateKeyPem, certPem: forge.pki.certificateToPem(cert), spkiSha256: spkiHash(keys.publicKeyPem) };
  };

  return { keyPem: caKeys.privateKeyPem, certPem: caPem, spkiSha256: spkiHash(caKeys.publicKeyPem), issue };
}
