import { createChatIngress } from './chat-ingress-app.ts';
import { loadEnv } from './commons/env.ts';
import type { HttpEvent } from './commons/http.ts';
import { createRuntime } from './commons/runtime.ts';

const runtime = createRuntime(loadEnv());
const app = createChatIngress({
  conversations: runtime.conversations,
  maxMessageChars: runtime.env.LIMITS.maxMessageChars,
});

/** API Gateway HTTP API (payload v2) → the customer's reply. */
export const handler = (event: HttpEvent) => app(event);
