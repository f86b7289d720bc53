import { retailCatalogue } from './tools/declarations.ts';

/**
 * The retail reference tenant: its procedures are the `*.md` files next to this module, its tools
 * the catalogue below. `aop check|compile|explain` find a tenant by this file.
 */
export const catalogue = retailCatalogue;
/** Where a first message goes when no procedure's `when` fits it. */
export const fallbackAop = 'transfer-to-human';

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ToolRuntime } from '../../shared/engine/tenant.ts';
import { createRetailTools } from './tools/implementations.ts';

/** Wording, FAQ and re-ask bound of the conversation repair patterns (conversation.ts). */
export { conversation } from './conversation.ts';

/** Identity facts survive when the customer moves on to another request in the same conversation. */
export const keepFacts = ['email', 'first_name', 'last_name', 'zip', 'user_id'];

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
