import { createInterface } from 'node:readline';
import { z } from 'zod';
import { type StoredEvent, StoredEventSchema } from '../shared/events/catalogue.ts';

/**
 * `aop chat`: a terminal chat against a running platform (`npm start`), through the same HTTP API a
 * chat widget uses. It keeps the conversation id between lines, so the platform sees one
 * conversation until `/new`. Every answer is parsed with the schemas below before it is printed.
 */

export const DEFAULT_CHAT_URL = 'http://127.0.0.1:3000';

export interface ChatOptions {
  /** Base URL of the platform. Default: `DEFAULT_CHAT_URL`. */
  readonly url?: string;
  /** Default: process.stdin. Lines are handled one at a time, in order, also when piped. */
  readonly input?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Default: process.stdout. */
  readonly output?: NodeJS.WritableStream;
  /** Where a bad `url` is reported. Default: process.stderr. */
  readonly errorOutput?: NodeJS.WritableStream;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** The audit routes' credential for `/events` (npm start writes it to .cache/platform.json). */
  readonly operatorToken?: string;
}

const Status = z.enum(['active', 'resolved', 'escalated']);
const Reply = z.object({ text: z.string() });
const StartedSchema = z.object({
  conversationId: z.string().min(1),
  sessionToken: z.string().min(1),
  reply: Reply,
  status: Status,
});
const AnsweredSchema = z.object({ reply: Reply, status: Status, duplicate: z.boolean().optional() });
const ProblemSchema = z.object({ error: z.string(), message: z.string() });
const EventsSchema = z.object({ events: z.array(StoredEventSchema) });
const VerifySchema = z.union([
  z.object({ ok: z.literal(true), count: z.int() }),
  z.object({ ok: z.literal(false), firstBadSeq: z.int(), reason: z.string(), message: z.string() }),
]);

const HELP = `Type a message and press Enter.
  /new      start a new conversation
  /events   the event log of this conversation, one line an event, and its hash-chain check
  /help     this text
  /quit     leave (or Ctrl+D)
`;

/** Runs until the input ends or `/quit`; returns the exit code. */
export async function runChat({
  url = DEFAULT_CHAT_URL,
  input = process.stdin,
  output = process.stdout,
  errorOutput = process.stderr,
  fetch: fetchFn = fetch,
  operatorToken,
}: ChatOptions = {}): Promise<number> {
  let base: URL;
  try {
    base = new URL(url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(base.protocol);
  } catch {
    errorOutput.write(
      `aop chat: --url must be an http(s) URL such as ${DEFAULT_CHAT_URL}; received "${url}".\n`,
    );
    return 2;
  }
  const interactive = input.isTTY === true;
  const rl = createInterface({ input, ...(interactive ? { output } : {}), terminal: interactive });
  rl.setPrompt('you> ');
  const print = (text: string) => output.write(`${text}\n`);
  let conversationId: string | undefined;
  let sessionToken: string | undefined;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (sessionToken && path.startsWith('/v1/chat/conversations/')) headers['x-session-token'] = sessionToken;
    if (operatorToken && path.startsWith('/v1/conversations/'))
      headers.authorization = `Bearer ${operatorToken}`;
    const response = await fetchFn(new URL(path, base), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const problem = ProblemSchema.safeParse(json);
      throw new ChatApiError(
        response.status,
        problem.success ? `${problem.data.error}: ${problem.data.message}` : text.slice(0, 200),
      );
    }
    return json;
  }

  async function send(message: string) {
    if (conversationId === undefined) {
      const started = StartedSchema.parse(await call('POST', '/v1/chat/conversations', { message }));
      conversationId = started.conversationId;
      sessionToken = started.sessionToken;
      printAnswer(started.reply.text, started.status);
    } else {
      const answered = AnsweredSchema.parse(
        await call('POST', `/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages`, {
          message,
        }),
      );
      printAnswer(answered.reply.text, answered.status);
    }
  }

  function printAnswer(text: string, status: z.infer<typeof Status>) {
    const lines = text
      .split('\n')
      .map((line, index) => (index === 0 || line === '' ? line : `       ${line}`));
    print(`agent> ${lines.join('\n')}`);
    const next =
      status === 'active'
        ? ''
        : status === 'resolved'
          ? ' (ask for something else, or /new)'
          : ' (a colleague takes over; /new to start again)';
    print(`       [${status} · conversation ${conversationId}]${next}`);
  }

  async function showEvents() {
    if (conversationId === undefined) {
      print('No conversation yet: type a message first.');
      return;
    }
    const id = encodeURIComponent(conversationId);
    const { events } = EventsSchema.parse(await call('GET', `/v1/conversations/${id}/events`));
    for (const event of events) print(summarizeEvent(event));
    const verified = VerifySchema.parse(await call('GET', `/v1/conversations/${id}/verify`));
    print(
      verified.ok
        ? `${events.length} events; hash chain verified.`
        : `${events.length} events; hash chain BROKEN at seq ${verified.firstBadSeq} (${verified.reason}): ${verified.message}`,
    );
  }

  print(`aop chat · ${base.origin}`);
  print(HELP);
  if (interactive) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!interactive && line !== '') print(`you> ${line}`);
    try {
      if (line === '') {
        // Nothing to send: an empty message is refused by the API anyway.
      } else if (line === '/quit' || line === '/exit') {
        break;
      } else if (line === '/new') {
        conversationId = undefined;
        print('(new conversation: your next message starts it)');
      } else if (line === '/events') {
        await showEvents();
      } else if (line === '/help') {
        print(HELP);
      } else if (/^\/[a-z]+$/.test(line)) {
        print(`Unknown command ${line}.\n${HELP}`);
      } else {
        await send(line);
      }
    } catch (error) {
      print(describeFailure(error, base));
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return 0;
}

/** A 4xx/5xx answer of the platform, with its status and reason. */
export class ChatApiError extends Error {
  override readonly name = 'ChatApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`HTTP ${status}: ${reason}`);
  }
}
export const isChatApiError = (error: unknown): error is ChatApiError =>
  error instanceof Error && error.name === 'ChatApiError';

function describeFailure(error: unknown, base: URL): string {
  if (isChatApiError(error)) {
    const hint = error.status === 404 ? ' Type /new to start a new conversation.' : '';
    return `! The platform refused the request (${error.message}).${hint}`;
  }
  if (error instanceof z.ZodError)
    return `! The platform answered in an unexpected shape: ${error.issues[0]?.message ?? error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `! Cannot reach the platform at ${base.origin} (${message}). Is it running? Start it with npm start.`;
}

/** One line per event: seq, turn, type and the detail that matters for that type. */
export function summarizeEvent(event: StoredEvent): string {
  const turn = event.turn === undefined ? '' : `t${event.turn}`;
  return `${String(event.seq).padStart(4)} ${turn.padEnd(4)} ${event.type.padEnd(23)} ${detailOf(event)}`.trimEnd();
}

function detailOf(event: StoredEvent): string {
  switch (event.type) {
    case 'conversation.started':
      return `channel ${event.data.channel}`;
    case 'message.received':
    case 'message.sent':
      return quote(event.data.text);
    case 'aop.selected':
      return `${event.data.aopId} v${event.data.version} (${event.data.reason})`;
    case 'turn.started':
      return event.data.resume ? `resumes at ${event.data.resume}` : '';
    case 'turn.completed': {
      const kind = event.data.awaiting?.kind;
      return `${event.data.status}${typeof kind === 'string' ? `, awaiting ${kind}` : ''}`;
    }
    case 'slot.filled':
      return event.data.value === null
        ? `${event.data.name} cleared`
        : `${event.data.name} = ${clip(JSON.stringify(event.data.value), 60)}`;
    case 'model.called':
      return `${event.data.purpose} (${event.data.modelId})`;
    case 'customer.authenticated':
      return `${event.data.customerId} (by ${event.data.tool})`;
    case 'guard.checked':
      return `${event.data.tool}: ${event.data.guard} ${event.data.passed ? 'passed' : `FAILED (${event.data.reason ?? 'no reason'})`}`;
    case 'confirmation.requested':
      return event.data.stepId;
    case 'confirmation.recorded':
      return `${event.data.stepId}: ${event.data.confirmed ? 'yes' : 'no'}`;
    case 'confirmation.withheld':
      return `${event.data.stepId}: ${event.data.consent}, asked again`;
    case 'tool.requested':
      return event.data.tool;
    case 'tool.succeeded':
      return `${event.data.tool} (${event.data.effect ?? 'read'}, ${event.data.latencyMs} ms)`;
    case 'tool.failed':
      return `${event.data.tool}: ${event.data.error.code}`;
    case 'handoff.requested':
    case 'conversation.escalated':
    case 'conversation.abandoned':
      return clip(event.data.reason, 80);
    default:
      return '';
  }
}

function quote(text: string): string {
  return `"${clip(text.replace(/\s*\n\s*/g, ' / '), 70)}"`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
