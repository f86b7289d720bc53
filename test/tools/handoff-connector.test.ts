import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zendeskTickets } from '../../shared/tools/handoff-connector.ts';
import { environmentSecrets, secretVariable } from '../../shared/tools/http-connector.ts';

/**
 * The hand-off connector against a local server speaking Zendesk's Tickets API shape: one ticket per
 * hand-off, with the summary and the audit timeline link, authenticated with an API token, and a retried
 * hand-off sends the same idempotency key.
 */

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly path: string;
  readonly body: {
    ticket: { subject: string; comment: { body: string }; external_id: string; tags: string[] };
  };
}

let server: Server;
let base: string;
const received: Received[] = [];
let failFirst = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, path: request.url!, body: JSON.parse(text) });
      if (failFirst > 0) {
        failFirst--;
        response.writeHead(503).end();
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ticket: { id: 35436, status: 'new', subject: 'x' } }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('zendeskTickets', () => {
  const connector = () =>
    zendeskTickets(
      { baseUrl: base, secret: 'helpdesk-api' },
      {
        secrets: environmentSecrets({ [secretVariable('helpdesk-api')]: 'agent@example.com/token:abc123' }),
        sleep: async () => {},
      },
    );

  it('opens one ticket with the summary, the reason, the customer and the audit timeline link', async () => {
    received.length = 0;
    const opened = await connector().open(
      {
        conversationId: 'c-42',
        reason: 'the customer asked for a person',
        summary: 'Wants to undo a cancellation of order #W8859225.',
        timelineUrl: 'https://audit.example.com/v1/conversations/c-42/events',
        customerId: 'chen_smith_1234',
      },
      'c-42:handoff:3',
    );
    expect(opened).toEqual({ ticketId: '35436' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.path).toBe('/api/v2/tickets.json');
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from('agent@example.com/token:abc123').toString('base64')}`,
    );
    expect(request!.headers['idempotency-key']).toBe('c-42:handoff:3');
    expect(request!.body.ticket.external_id).toBe('c-42');
    expect(request!.body.ticket.tags).toEqual(['aop-handoff']);
    expect(request!.body.ticket.subject).toBe(
      'Conversation c-42 needs a person: the customer asked for a person',
    );
    expect(request!.body.ticket.comment.body).toBe(
      [
        'Wants to undo a cancellation of order #W8859225.',
        '',
        'Reason: the customer asked for a person',
        'Customer: chen_smith_1234',
        'Audit timeline: https://audit.example.com/v1/conversations/c-42/events',
      ].join('\n'),
    );
  });

  it('retries a helpdesk outage with the same idempotency key', async () => {
    received.length = 0;
    failFirst = 1;
    const opened = await connector().open(
      { conversationId: 'c-43', reason: 'turn limit', summary: 's', timelineUrl: 'https://a/c-43' },
      'c-43:handoff:9',
    );
    expect(opened.ticketId).toBe('35436');
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      'c-43:handoff:9',
      'c-43:handoff:9',
    ]);
  });
});
