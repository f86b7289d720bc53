import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DigestAlgorithm, keyFingerprint, type PublishedKey } from './digest.ts';

/**
 * Who signs chain digests. Locally an Ed25519 key pair (node:crypto) whose private half sits in a file
 * beside the platform's other local secrets (`.cache/local-digest-key`); in AWS a KMS asymmetric key
 * (kms-digest-signer.ts) whose private half never leaves KMS. Either way the events table's writer
 * cannot sign, so it cannot make digests for a log it rewrote.
 */
export interface DigestSigner {
  readonly algorithm: DigestAlgorithm;
  /** The public key, as published beside the digests. */
  publicKey(): Promise<PublishedKey>;
  /** Base64 signature of `message` (the canonical JSON of a digest body). */
  sign(message: Buffer): Promise<string>;
}

/** The local signer: Ed25519 with a private key held by the process. */
export function createLocalDigestSigner(privateKey: KeyObject): DigestSigner {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const published: PublishedKey = {
    fingerprint: keyFingerprint(publicKeyPem),
    algorithm: 'ED25519',
    publicKeyPem,
    keyId: 'local',
  };
  return {
    algorithm: 'ED25519',
    publicKey: async () => published,
    sign: async (message) => sign(null, message, privateKey).toString('base64'),
  };
}

/**
 * The local digest key: read from `file` (PKCS#8 PEM), or made there the first time (owner-only), like
 * the local master key (shared/privacy/key-wrapper.ts): written aside, then linked into place, so two
 * processes starting at once end up with one key.
 */
export function loadOrCreateLocalDigestKey(file: string): KeyObject {
  if (existsSync(file)) {
    const key = createPrivateKey(readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType === 'ed25519') return key;
    throw new Error(
      `${file} holds a ${String(key.asymmetricKeyType)} key, not Ed25519; delete it to make a new one (digests it signed still verify with its published public key)`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const draft = `${file}.${process.pid}.${Date.now()}`;
  try {
    writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    chmodSync(draft, 0o600);
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateLocalDigestKey(file);
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return privateKey;
}
