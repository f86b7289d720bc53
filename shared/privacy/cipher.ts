import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One encrypted field: `enc:v1:` + base64(iv ‖ tag ‖ AES-256-GCM(JSON of the value)). The associated
 * data names the conversation, event type and field, so a ciphertext moved elsewhere does not decrypt.
 * The result is a string, which every encrypted field of the catalogue accepts.
 */
export const CIPHERTEXT_PREFIX = 'enc:v1:';
/** What an encrypted field reads as once its key is destroyed. */
export const ERASED = '[erased]';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export const isCiphertext = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(CIPHERTEXT_PREFIX);

export function sealField(key: Buffer, associated: string, value: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated));
  const body = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null'), cipher.final()]);
  return `${CIPHERTEXT_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export function openField(key: Buffer, associated: string, sealed: string): unknown {
  const bytes = Buffer.from(sealed.slice(CIPHERTEXT_PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associated));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
