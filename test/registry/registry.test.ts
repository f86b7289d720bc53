import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retailCatalogue } from '../../aops/retail/tools/declarations.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import { verifyChain } from '../../shared/events/hash-chain.ts';
import { createEventStore, type EventStore } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { irOfContent, tenantVersions } from '../../shared/registry/bundle.ts';
import {
  type ContentStore,
  contentSortKey,
  createContentStore,
  registryStreamId,
  type VersionContent,
} from '../../shared/registry/content.ts';
import { diffAops } from '../../shared/registry/diff.ts';
import { isCorruptContentError, isUnknownVersionError } from '../../shared/registry/errors.ts';
import { type AopRegistry, createAopRegistry, foldRegistry } from '../../shared/registry/registry.ts';

const RETAIL = join(import.meta.dirname, '../../aops/retail');
const client = new DynamoDBClient({});
const tableName = `registry-${randomUUID().slice(0, 8)}`;
let events: EventStore;
let contents: ContentStore;
let registry: AopRegistry;

/** The retail tenant's sources as the registry stores them, with `edit` applied to one file. */
function retail(edit?: { file: string; from: string | RegExp; to: string }) {
  const files = [
    'authenticate-customer.md',
    'cancel-pending-order.md',
    'change-default-address.md',
    'modify-order-address.md',
  ];
  return files.map((file) => {
    let text = readFileSync(join(RETAIL, file), 'utf8');
    if (edit?.file === file) {
      const next = text.replace(edit.from, edit.to);
      if (next === text) throw new Error(`edit of ${file} changed nothing`);
      text = next;
    }
    return { path: `retail/${file}`, text };
  });
}

function contentOf(aopId: string, edit?: Parameters<typeof retail>[0]): VersionContent {
  const content = tenantVersions(retail(edit), retailCatalogue).contents.get(aopId);
  if (!content) throw new Error(`${aopId} does not compile`);
  return content;
}

beforeAll(async () => {
  await ensureEventTable(client, tableName);
  events = createEventStore({ client, tableName });
  contents = createContentStore({ client, tableName });
  registry = createAopRegistry({ events, contents });
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

describe('tenantVersions', () => {
  it('bundles a procedure with the sub-procedures it follows, and only those', () => {
    const content = contentOf('cancel-pending-order');
    expect(content.files.map((file) => file.path)).toEqual([
      'retail/cancel-pending-order.md',
      'retail/authenticate-customer.md',
    ]);
    expect(JSON.parse(content.definition).StartAt).toBe('Understand');
  });

  it('gives a sub-procedure change to every procedure that follows it', () => {
    const edit = {
      file: 'authenticate-customer.md',
      from: 'Could you check them?',
      to: 'Please check them.',
    };
    expect(contentOf('cancel-pending-order', edit)).not.toEqual(contentOf('cancel-pending-order'));
  });
});

describe('aop registry', () => {
  it('publishes version 1, and the same content again is that version with nothing appended', async () => {
    const aopId = 'cancel-pending-order';
    const first = await registry.publish({ content: contentOf(aopId), note: 'first', actor: 'operator' });
    expect(first).toMatchObject({ created: true, version: { version: 1, note: 'first' } });
    const again = await registry.publish({ content: contentOf(aopId), note: 'again', actor: 'operator' });
    expect(again).toMatchObject({ created: false, version: { version: 1, note: 'first' } });
    const log = await events.read(registryStreamId(aopId));
    expect(log.map((event) => event.type)).toEqual(['aop.published']);
  });

  it('numbers a changed content as the next version, keeps its source, and the chain covers the history', async () => {
    const aopId = 'change-default-address';
    const v1 = contentOf(aopId);
    const v2 = contentOf(aopId, {
      file: 'change-default-address.md',
      from: 'Your default address is updated.',
      to: 'Done: your default address is updated.',
    });
    await registry.publish({ content: v1, note: 'first', actor: 'system' });
    await registry.moveAlias({ aopId, toVersion: 1, actor: 'system' });
    const second = await registry.publish({ content: v2, note: 'friendlier ending', actor: 'operator' });
    expect(second.version.version).toBe(2);
    expect(await registry.content(aopId, 1)).toEqual(v1);
    expect(await registry.content(aopId, 2)).toEqual(v2);

    const history = await registry.history(aopId);
    expect(history.versions.map((v) => [v.version, v.note])).toEqual([
      [1, 'first'],
      [2, 'friendlier ending'],
    ]);
    expect(history.aliases).toEqual({ live: 1 });
    const log = await events.read(registryStreamId(aopId));
    expect(verifyChain(log)).toMatchObject({ ok: true, count: 3 });
  });

  it('records an alias move from and to, and a move to where it is already is no move', async () => {
    const aopId = 'modify-order-address';
    await registry.publish({ content: contentOf(aopId), note: 'a', actor: 'system' });
    const v2 = contentOf(aopId, {
      file: 'modify-order-address.md',
      from: 'will ship to the new address',
      to: 'ships to the new address',
    });
    await registry.publish({ content: v2, note: 'b', actor: 'operator' });
    expect(await registry.moveAlias({ aopId, toVersion: 2, actor: 'operator' })).toEqual({
      fromVersion: null,
      toVersion: 2,
      moved: true,
    });
    expect(await registry.moveAlias({ aopId, toVersion: 1, actor: 'operator' })).toEqual({
      fromVersion: 2,
      toVersion: 1,
      moved: true,
    });
    expect(await registry.moveAlias({ aopId, toVersion: 1, actor: 'operator' })).toMatchObject({
      moved: false,
    });
    const moves = (await events.read(registryStreamId(aopId))).filter((e) => e.type === 'alias.moved');
    expect(moves.map((e) => e.data)).toEqual([
      { aopId, alias: 'live', fromVersion: null, toVersion: 2 },
      { aopId, alias: 'live', fromVersion: 2, toVersion: 1 },
    ]);
  });

  it('fails when the alias is moved to a version that was never published, naming the ones that were', async () => {
    const error = await registry
      .moveAlias({ aopId: 'cancel-pending-order', toVersion: 7, actor: 'operator' })
      .catch((e: unknown) => e);
    expect(isUnknownVersionError(error)).toBe(true);
    expect((error as Error).message).toContain('published versions are 1');
  });

  it('gives concurrent publishers of different contents distinct numbers', async () => {
    const aopId = 'authenticate-race';
    const variants = [1, 2, 3, 4].map((n) => ({
      ...contentOf('cancel-pending-order'),
      aopId,
      title: `variant ${n}`,
    }));
    const results = await Promise.all(
      variants.map((content) => registry.publish({ content, note: content.title, actor: 'operator' })),
    );
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4]);
    expect(verifyChain(await events.read(registryStreamId(aopId)))).toMatchObject({ ok: true, count: 4 });
  });

  it('fails when a stored content no longer hashes to the hash its event names', async () => {
    const aopId = 'cancel-pending-order';
    const { versions } = await registry.history(aopId);
    const hash = versions[0]!.sourceHash;
    const tampered = { ...contentOf(aopId), when: 'Always.' };
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: registryStreamId(aopId) },
          sk: { S: contentSortKey(hash) },
          content: { S: JSON.stringify(tampered) },
        },
      }),
    );
    const error = await registry.content(aopId, 1).catch((e: unknown) => e);
    expect(isCorruptContentError(error)).toBe(true);
  });
});

describe('foldRegistry', () => {
  it('given published and moved events, the live alias is the last move', () => {
    const base = {
      conversationId: 'aop#x',
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
      actor: 'operator' as const,
    };
    const log = [
      {
        ...base,
        seq: 1,
        time: 't1',
        type: 'aop.published',
        data: { aopId: 'x', version: 1, sourceHash: 'h1', note: 'a' },
      },
      {
        ...base,
        seq: 2,
        time: 't2',
        type: 'aop.published',
        data: { aopId: 'x', version: 2, sourceHash: 'h2', note: 'b' },
      },
      {
        ...base,
        seq: 3,
        time: 't3',
        type: 'alias.moved',
        data: { aopId: 'x', alias: 'live', fromVersion: null, toVersion: 2 },
      },
      {
        ...base,
        seq: 4,
        time: 't4',
        type: 'alias.moved',
        data: { aopId: 'x', alias: 'live', fromVersion: 2, toVersion: 1 },
      },
    ] as StoredEvent[];
    const history = foldRegistry('x', log);
    expect(history.aliases).toEqual({ live: 1 });
    expect(history.versions.map((v) => v.sourceHash)).toEqual(['h1', 'h2']);
    expect(history.seq).toBe(4);
  });
});

describe('diffAops', () => {
  const ir = (edit?: Parameters<typeof retail>[0]) =>
    irOfContent(contentOf('cancel-pending-order', edit), retailCatalogue).ir;

  it('says nothing changed for the same procedure', () => {
    expect(diffAops(ir(), ir())).toEqual([]);
  });

  it('names a changed text and a changed condition by step id', () => {
    const before = ir();
    const texts = diffAops(
      before,
      ir({
        file: 'cancel-pending-order.md',
        from: 'Order {order.order_id} is cancelled;',
        to: 'Your order {order.order_id} is cancelled;',
      }),
    );
    expect(texts).toEqual([
      expect.stringMatching(/^step 13 \[done\]: text changed: "Order .* → "Your order/),
    ]);
    const condition = diffAops(
      before,
      ir({
        file: 'cancel-pending-order.md',
        from: 'If the order status is not "pending"',
        to: 'If the order status is not one of "pending" or "processed"',
      }),
    );
    expect(condition).toEqual([
      expect.stringMatching(
        /^step 5 \[check-status\]: condition changed: order\.status ≠ "pending" → order\.status not in \["pending", "processed"\]/,
      ),
    ]);
  });

  it('reads an inserted step as one added step, not as every later step changed', () => {
    const after = ir({
      file: 'cancel-pending-order.md',
      from: '6. {#ask-reason}',
      to: '6. {#warn} Tell the customer: "Cancelling cannot be undone."\n7. {#ask-reason}',
    });
    const lines = diffAops(ir(), after);
    expect(lines[0]).toBe('step 6 [warn] added: says "Cancelling cannot be undone."');
    expect(lines.slice(1).every((line) => /^step \d→\d /.test(line) || /goes back/.test(line))).toBe(true);
  });

  it('names a removed step by its id', () => {
    const withWarning = ir({
      file: 'cancel-pending-order.md',
      from: '6. {#ask-reason}',
      to: '6. {#warn} Tell the customer: "Cancelling cannot be undone."\n7. {#ask-reason}',
    });
    expect(diffAops(withWarning, ir())[0]).toBe(
      'step 6 [warn] removed (was: says "Cancelling cannot be undone.")',
    );
  });
});
