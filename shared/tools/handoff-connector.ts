import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { type HttpConnectorDeps, httpImplementation } from './http-connector.ts';

/**
 * Where a hand-off goes besides the conversation's own log: a ticket in the tenant's helpdesk, holding
 * the conversation summary the platform writes at hand-off (`handoff.requested`) and a link to the
 * conversation's audit timeline, so the person who picks it up starts from what happened.
 *
 * The interface is one call; `zendeskTickets` speaks Zendesk's public Tickets API (POST
 * /api/v2/tickets.json). A tenant that declares one (`defineTenant({ helpdesk })`) gets a ticket for
 * every hand-off its procedures make: the hand-off step opens it and records `handoff.ticket`.
 */
export interface HandoffTicket {
  readonly conversationId: string;
  /** Why the conversation was handed over (the customer asked, a guard, the turn limit, …). */
  readonly reason: string;
  /** The summary the platform wrote for the person taking over. */
  readonly summary: string;
  /** Where the person sees the conversation's audit timeline. */
  readonly timelineUrl: string;
  /** The signed-in customer, when there is one. */
  readonly customerId?: string;
}

export interface OpenedTicket {
  readonly ticketId: string;
}

export interface HandoffConnector {
  /** The helpdesk's name in the log (`zendesk`). */
  readonly system: string;
  /**
   * Opens the ticket. `idempotencyKey` is the same for a retried hand-off step, so a helpdesk that reads
   * `Idempotency-Key` opens one ticket however often the step runs.
   */
  open(ticket: HandoffTicket, idempotencyKey: string): Promise<OpenedTicket>;
}

const ZendeskTicketInput = z.object({
  ticket: z.object({
    subject: z.string(),
    comment: z.object({ body: z.string() }),
    external_id: z.string(),
    tags: z.array(z.string()),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
  }),
});
const ZendeskTicketOutput = z.object({ id: z.number().int() }).loose();

/** The request as a tool declaration, so the HTTP connector checks what goes out and what comes back. */
const openZendeskTicket = defineTool({
  name: 'open_helpdesk_ticket',
  description: "Opens a ticket in the tenant's helpdesk for a conversation handed to a person",
  effect: 'write',
  input: ZendeskTicketInput,
  output: ZendeskTicketOutput,
  produces: 'helpdesk_ticket',
});

/**
 * Zendesk's Tickets API: `POST {baseUrl}/api/v2/tickets.json` with `{"ticket": {subject, comment: {body},
 * external_id, tags, priority}}`, answered `201 {"ticket": {"id": …}}`. Authenticated with an API token
 * (HTTP Basic, `{email}/token:{api_token}`), read from the secret named `secret`.
 */
export function zendeskTickets(
  { baseUrl, secret = 'helpdesk-api' }: { readonly baseUrl: string; readonly secret?: string },
  deps: HttpConnectorDeps,
): HandoffConnector {
  const call = httpImplementation(
    openZendeskTicket,
    {
      method: 'POST',
      url: `${baseUrl.replace(/\/$/, '')}/api/v2/tickets.json`,
      auth: { secret, scheme: 'Basic' },
      result: 'ticket',
      timeoutMs: 10_000,
    },
    deps,
  );
  return {
    system: 'zendesk',
    async open(ticket, idempotencyKey) {
      const opened = await call(
        {
          ticket: {
            subject: `Conversation ${ticket.conversationId} needs a person: ${ticket.reason}`.slice(0, 150),
            comment: {
              body: [
                ticket.summary,
                '',
                `Reason: ${ticket.reason}`,
                ...(ticket.customerId ? [`Customer: ${ticket.customerId}`] : []),
                `Audit timeline: ${ticket.timelineUrl}`,
              ].join('\n'),
            },
            external_id: ticket.conversationId,
            tags: ['aop-handoff'],
            priority: 'normal',
          },
        },
        { idempotencyKey, conversationId: ticket.conversationId },
      );
      return { ticketId: String(opened.id) };
    },
  };
}
