import type { TenantClock, ToolRuntime } from '../../shared/engine/tenant.ts';
import { defineTenant } from '../../shared/tenant/define-tenant.ts';
import { conversation } from './conversation.ts';
import { retailCatalogue } from './tools/declarations.ts';
import { createRetailTools } from './tools/implementations.ts';
import { RETAIL_TABLES, seedRetailData } from './tools/store.ts';

/**
 * The retail reference tenant (τ²-bench's store): its procedures are the `*.md` files next to this
 * module, its tools the catalogue below, its data the tables `RETAIL_TABLES` seeded from data/db.json.
 * The platform loads this folder; nothing outside it names retail (docs/tenants.md).
 */
export const catalogue = retailCatalogue;
/** Where a first message goes when no procedure's `when` fits it. */
export const fallbackAop = 'transfer-to-human';

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
  client: Parameters<typeof createRetailTools>[0]['client'];
  tablePrefix: string;
}): ToolRuntime {
  const { ownerOf, refundOf, recordedCall, ...implementations } = createRetailTools({ client, tablePrefix });
  return {
    catalogue,
    implementations,
    ownerOf: (resource, id) => ownerOf(resource as 'order' | 'user', id),
    refundOf,
    recordedCall,
  };
}

// Named after its folder (so a copy under another name is another tenant, with no edit).
export default defineTenant({
  catalogue,
  fallbackAop,
  // find_user_id_by_email / find_user_id_by_name_zip return the user id (they establish `authenticated`).
  identity: { fact: 'user_id' },
  keepFacts,
  conversation,
  ...(clock ? { clock } : {}),
  tables: RETAIL_TABLES,
  createTools: createToolRuntime,
  seed: ({ client, tablePrefix, onlyMissing }) => seedRetailData(client, tablePrefix, { onlyMissing }),
});
