import { createStoredStreamReader } from '../shared/audit/stored-stream.ts';
import { createAuditApi } from './audit-api-app.ts';
import { loadEnv } from './commons/env.ts';
import type { HttpEvent } from './commons/http.ts';
import { instrument } from './commons/observability.ts';
import { createRuntime } from './commons/runtime.ts';

// What a reviewer reads must show an erasure at once: no data keys are cached here.
const runtime = createRuntime({ ...loadEnv(), DATA_KEY_CACHE_MS: 0 });
const { AUDIT_AUTH, OPERATOR_TOKEN_SHA256 } = runtime.env;
if (AUDIT_AUTH === 'token' && !OPERATOR_TOKEN_SHA256)
  throw new Error('Invalid Lambda environment: AUDIT_AUTH=token needs OPERATOR_TOKEN_SHA256');
const app = createAuditApi({
  events: runtime.events,
  verification: {
    streams: createStoredStreamReader({ client: runtime.dynamodb, tableName: runtime.env.EVENTS_TABLE }),
    digests: runtime.digestStore,
  },
  auth:
    AUDIT_AUTH === 'token' && OPERATOR_TOKEN_SHA256
      ? { kind: 'token', sha256: OPERATOR_TOKEN_SHA256 }
      : { kind: 'iam' },
});

/** `GET /v1/conversations/{id}/events` and `/verify` (IAM-authorised for the compliance role). */
export const handler = instrument('audit-api', (event: HttpEvent) => app(event));
