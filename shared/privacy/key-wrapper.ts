import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../events/hash-chain.ts';

/**
 * Envelope encryption: every data key is stored wrapped by a master key that never leaves its keeper.
 * In AWS the keeper is KMS (`Encrypt`/`Decrypt` with the encryption context); locally it is a 32-byte
 * key in a file, used with AES-256-GCM. Both sit behind this interface, so the key store and the event
 * store do not know which one they have.
 */
export interface KeyWrapper {
  /** Names the master key in each wrapped item (`local`, or the KMS key ARN). */
  readonly id: string;
  /** `context` is bound to the wrapped key (KMS encryption context, GCM associated data). */
  wrap(dataKey: Buffer, context: Readonly<Record<string, string>>): Promise<string>;
  unwrap(wrapped: string, context: Readonly<Record<string, string>>): Promise<Buffer>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The local stand-in for KMS: AES-256-GCM under a master key held by the process. */
export function createLocalKeyWrapper(masterKey: Buffer): KeyWrapper {
  if (masterKey.length !== 32)
    throw new Error(`The local master key must be 32 bytes; got ${masterKey.length}`);
  return {
    id: 'local',
    async wrap(dataKey, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(canonicalJson(context)));
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    async unwrap(wrapped, context) {
      const bytes = Buffer.from(wrapped, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', masterKey, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(canonicalJson(context)));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}

/**
 * The local master key: read from `file`, or created there (32 random bytes, owner-only) the first
 * time, so the platform and the `aop` commands on this machine share it.
 */
export function loadOrCreateLocalMasterKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(
      `${file} does not hold a 32-byte base64 key; delete it to make a new one (data it protects becomes unreadable)`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  // Written aside, then linked into place: two processes starting at once (parallel test files, now
  // that encryption is the default) must neither both win nor read a half-written file; the loser
  // reads the winner's key.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(draft, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(draft, 0o600);
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateLocalMasterKey(file);
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return key;
}
