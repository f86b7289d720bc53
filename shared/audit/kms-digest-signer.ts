import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { keyFingerprint, type PublishedKey } from './digest.ts';
import type { DigestSigner } from './digest-signer.ts';

/**
 * The AWS signer: a KMS asymmetric key (`ECC_NIST_P256`, `SIGN_VERIFY`). The message's sha256 is
 * sent (`MessageType: DIGEST`), so a digest of any size signs in one call; the signature is DER, as
 * node:crypto's `verify('sha256', …)` reads it. The runtime role holds `kms:Sign` on this key only;
 * verifiers need the public key alone (`GetPublicKey`, published beside the digests).
 */
export function createKmsDigestSigner({
  client,
  keyId,
}: {
  readonly client: KMSClient;
  readonly keyId: string;
}): DigestSigner {
  let published: Promise<PublishedKey> | undefined;
  return {
    algorithm: 'ECDSA_SHA_256',
    publicKey() {
      published ??= client.send(new GetPublicKeyCommand({ KeyId: keyId })).then((answer) => {
        if (!answer.PublicKey) throw new Error(`KMS GetPublicKey for ${keyId} returned no key`);
        const publicKeyPem = createPublicKey({
          key: Buffer.from(answer.PublicKey),
          format: 'der',
          type: 'spki',
        })
          .export({ type: 'spki', format: 'pem' })
          .toString();
        return {
          fingerprint: keyFingerprint(publicKeyPem),
          algorithm: 'ECDSA_SHA_256',
          publicKeyPem,
          keyId: answer.KeyId ?? keyId,
        };
      });
      return published;
    },
    async sign(message) {
      const answer = await client.send(
        new SignCommand({
          KeyId: keyId,
          Message: createHash('sha256').update(message).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!answer.Signature) throw new Error(`KMS Sign with ${keyId} returned no signature`);
      return Buffer.from(answer.Signature).toString('base64');
    },
  };
}
