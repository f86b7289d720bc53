import { retailCatalogue } from './tools/declarations.ts';

/**
 * The retail reference tenant: its procedures are the `*.md` files next to this module, its tools
 * the catalogue below. `aop check|compile|explain` find a tenant by this file.
 */
export const catalogue = retailCatalogue;
/** Where a first message goes when no procedure's `when` fits it. */
export const fallbackAop = 'transfer-to-human';

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TenantClock, ToolRuntime } from '../../shared/engine/tenant.ts';
import { createRetailTools } from './tools/implementations.ts';

/** Wording, FAQ and re-ask bound of the conversation repair patterns (conversation.ts). */
export { conversation } from './conversation.ts';

/** Identity facts survive when the customer moves on to another request in the same conversation. */
export const keepFacts = ['email', 'first_name', 'last_name', 'zip', 'user_id'];

/**
 * The clock the conversations run on (shared/engine/tenant.ts `TenantClock`): the wall clock. Retail's
 * data holds no dates, so no rule is measured against it; a tenant with a data snapshot would fix it,
 * e.g. `{ now: '2024-05-01T00:00:00Z' }`.
 */
export const clock: TenantClock | undefined = undefined;

export function createToolRuntime({
  client,
  tablePrefix,
}: {
  client: DynamoDBClient;
  tablePrefix: string;
}): ToolRuntime {
  const { ownerOf, refundOf, ...implementations } = createRetailTools({ client, tablePrefix });
  return {
    catalogue,
    implementations: implementations as unknown as ToolRuntime['implementations'],
    ownerOf: (resource, id) => ownerOf(resource as 'order' | 'user', id),
    refundOf,
  };
}
