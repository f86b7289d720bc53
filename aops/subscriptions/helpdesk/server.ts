import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { secretVariable } from '../../../shared/tools/http-connector.ts';
import { HELPDESK_SECRET } from './api.ts';

/**
 * The local stand-in of Tidewave's helpdesk: the part of Zendesk's Tickets API the hand-off connector
 * uses (shared/tools/handoff-connector.ts `zendeskTickets`), state in memory, started by the platform for
 * the tenant (tenant.ts `services`).
 *
 * - `POST /api/v2/tickets.json` `{"ticket": {subject, comment: {body}, external_id, tags, priority}}` →
 *   `201 {"ticket": {"id": …, …}}`; the same `Idempotency-Key` returns the first ticket again.
 * - `GET /api/v2/tickets/{id}.json` → `200 {"ticket": …}` (what a person, or a test, reads back).
 * - Every request needs HTTP Basic auth whose credentials are the `helpdesk-api` secret (401 otherwise).
 *
 * Protocol (docs/tenants.md): `PORT` in the environment (0: any free port), listens on 127.0.0.1, prints
 * `{"url":"http://127.0.0.1:<port>"}` once it does, stops on SIGTERM.
 */

interface Ticket {
  readonly id: number;
  readonly subject: string;
  readonly description: string;
  readonly external_id: string;
  readonly tags: readonly string[];
  readonly priority: string;
  readonly status: 'new';
  readonly created_at: string;
}

const tickets = new Map<number, Ticket>();
const byKey = new Map<string, number>();
let nextId = 35_436;

const credentials = process.env[secretVariable(HELPDESK_SECRET)] ?? '';

function authorised(request: IncomingMessage): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  const wanted = Buffer.from(`Basic ${Buffer.from(credentials).toString('base64')}`);
  return credentials !== '' && given.length === wanted.length && timingSafeEqual(given, wanted);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isTicketRequest(body: unknown): body is {
  ticket: {
    subject: string;
    comment: { body: string };
    external_id: string;
    tags: string[];
    priority: string;
  };
} {
  const ticket = (body as { ticket?: Record<string, unknown> } | undefined)?.ticket;
  return (
    typeof ticket?.subject === 'string' &&
    typeof (ticket.comment as { body?: unknown } | undefined)?.body === 'string' &&
    typeof ticket.external_id === 'string' &&
    Array.isArray(ticket.tags) &&
    typeof ticket.priority === 'string'
  );
}

const server = createServer(async (request, response) => {
  if (!authorised(request)) return send(response, 401, { error: "Couldn't authenticate you" });
  const url = new URL(request.url ?? '/', 'http://helpdesk');
  if (request.method === 'POST' && url.pathname === '/api/v2/tickets.json') {
    const key = request.headers['idempotency-key'];
    const earlier = typeof key === 'string' ? byKey.get(key) : undefined;
    if (earlier !== undefined) return send(response, 201, { ticket: tickets.get(earlier) });
    const body = await bodyOf(request);
    if (!isTicketRequest(body))
      return send(response, 422, { error: 'RecordInvalid', description: 'Record validation errors' });
    const ticket: Ticket = {
      id: nextId++,
      subject: body.ticket.subject,
      description: body.ticket.comment.body,
      external_id: body.ticket.external_id,
      tags: body.ticket.tags,
      priority: body.ticket.priority,
      status: 'new',
      created_at: new Date().toISOString(),
    };
    tickets.set(ticket.id, ticket);
    if (typeof key === 'string') byKey.set(key, ticket.id);
    return send(response, 201, { ticket });
  }
  const read = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(url.pathname);
  if (request.method === 'GET' && read) {
    const ticket = tickets.get(Number(read[1]));
    return ticket ? send(response, 200, { ticket }) : send(response, 404, { error: 'RecordNotFound' });
  }
  return send(response, 404, { error: 'InvalidEndpoint' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
