import { createAuditApi } from './audit-api-app.ts';
import { loadEnv } from './commons/env.ts';
import type { HttpEvent } from './commons/http.ts';
import { instrument } from './commons/observability.ts';
import { createRuntime } from './commons/runtime.ts';

// What a reviewer reads must show an erasure at once: no data keys are cached here.
const runtime = createRuntime({ ...loadEnv(), DATA_KEY_CACHE_MS: 0 });
const app = createAuditApi({ events: runtime.events, stored: runtime.stored });

/** `GET /v1/conversations/{id}/events` and `/verify` (IAM-authorised for the compliance role). */
export const handler = instrument('audit-api', (event: HttpEvent) => app(event));
