import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Env } from './env.ts';

/**
 * Where the session secret comes from: the environment locally (`npm start` makes one), Secrets
 * Manager in AWS (the tenant stack generates it; only the ingress may read it). Read once per
 * container, at the first request that needs it.
 */
export function sessionSecretLoader(env: Env): () => Promise<Buffer> {
  return async function loadSessionSecret() {
    if (env.SESSION_SECRET) return Buffer.from(env.SESSION_SECRET, 'base64');
    if (!env.SESSION_SECRET_ARN)
      throw new Error(
        'Invalid Lambda environment: the chat ingress needs SESSION_SECRET (base64, locally) or SESSION_SECRET_ARN (Secrets Manager, in AWS)',
      );
    const { SecretString } = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: env.SESSION_SECRET_ARN }),
    );
    if (!SecretString || SecretString.length < 32)
      throw new Error(`Secret ${env.SESSION_SECRET_ARN} holds no session secret of at least 32 characters`);
    return Buffer.from(SecretString, 'utf8');
  };
}
