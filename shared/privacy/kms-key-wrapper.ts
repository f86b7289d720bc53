import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyWrapper } from './key-wrapper.ts';

/**
 * The AWS keeper of the master key: KMS `Encrypt`/`Decrypt` of each data key under the tenant's
 * customer-managed key, with the context as the KMS encryption context, so a wrapped key only unwraps
 * for the conversation and table it was made for (and CloudTrail records which one). `Decrypt` names the
 * key too: KMS would otherwise accept ciphertext of any key the role may use. A KMS refusal is thrown
 * as is; the key store turns it into `DataKeyUnwrapError` with the conversation id.
 */
export function createKmsKeyWrapper({
  client,
  keyId,
}: {
  readonly client: KMSClient;
  /** Key ARN (preferred: it is what `id` records in each wrapped item), key id or alias. */
  readonly keyId: string;
}): KeyWrapper {
  return {
    id: keyId,
    async wrap(dataKey, context) {
      const { CiphertextBlob } = await client.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: dataKey, EncryptionContext: { ...context } }),
      );
      if (!CiphertextBlob) throw new Error(`KMS Encrypt with key ${keyId} returned no CiphertextBlob`);
      return Buffer.from(CiphertextBlob).toString('base64');
    },
    async unwrap(wrapped, context) {
      const { Plaintext } = await client.send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(wrapped, 'base64'),
          EncryptionContext: { ...context },
        }),
      );
      if (!Plaintext) throw new Error(`KMS Decrypt with key ${keyId} returned no Plaintext`);
      return Buffer.from(Plaintext);
    },
  };
}
