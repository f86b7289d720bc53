import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ToolRuntime } from '../../shared/engine/tenant.ts';
import { defineTenant } from '../../shared/tenant/define-tenant.ts';
import { zendeskTickets } from '../../shared/tools/handoff-connector.ts';
import { tenantSecrets } from '../../shared/tools/http-connector.ts';
import { conversation } from './conversation.ts';
import { HELPDESK_SECRET, HELPDESK_URL_VARIABLE } from './helpdesk/api.ts';
import { PAYMENTS_SECRET, PAYMENTS_URL_VARIABLE } from './payments/api.ts';
import { TIDEWAVE_NOW } from './tools/clock.ts';
import { subscriptionCatalogue } from './tools/declarations.ts';
import { createSubscriptionTools, type SubscriptionResource } from './tools/implementations.ts';
import { SUBSCRIPTION_TABLES, seedSubscriptionsData } from './tools/store.ts';

/**
 * Tidewave, a video streaming service sold by subscription: the second reference tenant, of another
 * shape than retail (recurring billing, dates and pro-rata amounts, money moved through a payment
 * provider's API). Its procedures are the `*.md` files next to this module, its tools the catalogue
 * below, its data the tables `SUBSCRIPTION_TABLES` seeded from data/db.json, and its payment provider
 * a service the local platform starts (payments/server.ts). Nothing outside this folder names it.
 */
export default defineTenant({
  catalogue: subscriptionCatalogue,
  // A first message no procedure fits goes to a person.
  fallbackAop: 'transfer-to-human',
  // find_customer_id_by_email / _by_name_zip return the customer id (they establish `authenticated`).
  identity: { fact: 'customer_id' },
  // Kept when the customer moves on to another request: they need not sign in again.
  keepFacts: ['email', 'first_name', 'last_name', 'zip', 'customer_id'],
  conversation,
  // The data is a snapshot taken at this instant: periods, pauses and refunds are measured from it.
  clock: { now: TIDEWAVE_NOW },
  tables: SUBSCRIPTION_TABLES,
  createTools: createToolRuntime,
  seed: ({ client, tablePrefix, onlyMissing }) => seedSubscriptionsData(client, tablePrefix, { onlyMissing }),
  services: [
    {
      name: 'payments',
      entry: 'payments/server.ts',
      urlVariable: PAYMENTS_URL_VARIABLE,
      // A development key the stand-in and the tools share; in AWS the secret holds the real one.
      localSecrets: { [PAYMENTS_SECRET]: 'sk_test_tidewave_local' },
    },
    {
      // Zendesk's Tickets API, as far as the hand-off connector uses it (helpdesk/server.ts).
      name: 'helpdesk',
      entry: 'helpdesk/server.ts',
      urlVariable: HELPDESK_URL_VARIABLE,
      localSecrets: { [HELPDESK_SECRET]: 'support@tidewave.example/token:local-development-token' },
    },
  ],
  secrets: [PAYMENTS_SECRET, HELPDESK_SECRET],
  // Every hand-off a procedure makes opens a ticket with the summary and a link to the audit timeline.
  helpdesk: () =>
    zendeskTickets(
      { baseUrl: process.env[HELPDESK_URL_VARIABLE] ?? '', secret: HELPDESK_SECRET },
      { secrets: tenantSecrets() },
    ),
});

function createToolRuntime({
  client,
  tablePrefix,
}: {
  client: DynamoDBClient;
  tablePrefix: string;
}): ToolRuntime {
  const { ownerOf, refundOf, recordedCall, ...implementations } = createSubscriptionTools({
    client,
    tablePrefix,
  });
  return {
    catalogue: subscriptionCatalogue,
    implementations,
    ownerOf: (resource, id) => ownerOf(resource as SubscriptionResource, id),
    refundOf,
    recordedCall,
  };
}
