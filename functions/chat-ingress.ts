import { createChatIngress } from './chat-ingress-app.ts';
import { createSessionTokens } from './commons/credentials.ts';
import { loadEnv } from './commons/env.ts';
import type { HttpEvent } from './commons/http.ts';
import { instrument, MetricUnit, metrics } from './commons/observability.ts';
import { createRuntime } from './commons/runtime.ts';
import { sessionSecretLoader } from './commons/session-secret.ts';

const runtime = createRuntime(loadEnv());
const app = createChatIngress({
  conversations: runtime.conversations,
  maxMessageChars: runtime.env.LIMITS.maxMessageChars,
  sessions: createSessionTokens(runtime.env.TENANT, sessionSecretLoader(runtime.env)),
});

/** API Gateway HTTP API (payload v2) → the customer's reply. */
export const handler = instrument(
  'chat-ingress',
  async (event: HttpEvent) => {
    const result = await app(event);
    const status = result.body ? (JSON.parse(result.body) as { status?: string }).status : undefined;
    if (status) metrics.addMetric('Turns', MetricUnit.Count, 1);
    if (status === 'escalated') metrics.addMetric('EscalatedTurns', MetricUnit.Count, 1);
    if ((result.statusCode ?? 200) >= 400 && (result.statusCode ?? 200) < 500)
      metrics.addMetric('RejectedRequests', MetricUnit.Count, 1);
    return result;
  },
  { metrics: true },
);
