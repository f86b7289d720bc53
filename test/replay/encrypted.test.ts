import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAudit } from '../../cli/audit.ts';
import { runReplay } from '../../cli/replay.ts';
import { type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { createDataKeyStore } from '../../shared/privacy/key-store.ts';
import { createLocalKeyWrapper, loadOrCreateLocalMasterKey } from '../../shared/privacy/key-wrapper.ts';
import { RETAIL_AOPS } from '../support/retail.ts';
import { SCRIPTS } from './scripts.ts';
import { runScript } from './support.ts';

/**
 * With customer data stored encrypted (crypto-shredding, shared/privacy): verify checks the chain over
 * the ciphertext as stored, show and replay read it decrypted with the conversation's key, and once
 * the customer is erased, verify still passes while replay says it cannot run.
 */

let platform: RunningPlatform;
let client: DynamoDBClient;
let platformFile: string;
let masterKeyFile: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-encrypted-'));
  masterKeyFile = join(dir, 'master-key');
  platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tenant: `encrypted-${randomUUID().slice(0, 8)}`,
    encryptCustomerData: true,
    masterKeyFile,
  });
  client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  for (const name of ['cancel-happy-path', 'status-after-wrong-zip'])
    ids.set(name, await runScript(platform.url, SCRIPTS.find((script) => script.name === name)!));
  platformFile = join(dir, 'platform.json');
  writeFileSync(
    platformFile,
    JSON.stringify({
      url: platform.url,
      dynamodbEndpoint: platform.dynamodbEndpoint,
      eventsTable: platform.eventsTable,
      dataTablePrefix: platform.dataTablePrefix,
      tenant: platform.tenant,
      region: 'us-east-1',
      keysTable: platform.keysTable,
    }),
  );
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await platform?.stop();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const flags = () => ['--platform', platformFile, '--master-key', masterKeyFile];

describe('audit and replay of encrypted conversations', () => {
  it('stores the customer text encrypted', async () => {
    const stored = await createEventStore({ client, tableName: platform.eventsTable }).read(
      ids.get('cancel-happy-path')!,
    );
    const message = stored.find((event) => event.type === 'message.received')!;
    expect(message.type === 'message.received' && message.data.text).toMatch(/^enc:v1:/);
  });

  it('verifies over the ciphertext, shows the timeline decrypted, and replays exactly', async () => {
    const id = ids.get('cancel-happy-path')!;
    expect(await runAudit(['verify', id, ...flags()], capture().io)).toBe(0);
    const show = capture();
    expect(await runAudit(['show', id, ...flags()], show.io)).toBe(0);
    expect(show.out()).toContain('customer data: decrypted');
    expect(show.out()).toContain(
      'call cancel_pending_order({"order_id":"#W5918442","reason":"no longer needed"})',
    );
    expect(show.out()).not.toContain('enc:v1:');
    const replay = capture();
    expect(await runReplay([id, ...flags()], { io: replay.io })).toBe(0);
    expect(replay.out()).toContain('OK: every turn reproduced exactly.');
  });

  it('without the key: show says the data is encrypted, replay refuses (exit 2)', async () => {
    const id = ids.get('status-after-wrong-zip')!;
    const other = join(mkdtempSync(join(tmpdir(), 'no-key-')), 'missing-key');
    const show = capture();
    expect(await runAudit(['show', id, '--platform', platformFile, '--master-key', other], show.io)).toBe(0);
    expect(show.out()).toContain('customer data: encrypted');
    const replay = capture();
    expect(await runReplay([id, '--platform', platformFile, '--master-key', other], { io: replay.io })).toBe(
      2,
    );
    expect(replay.err()).toContain(
      'cannot be replayed: customer data is encrypted and no key is at hand here',
    );
  });

  it('after erasure: verify still passes, show reads [erased], replay says why it cannot run', async () => {
    const id = ids.get('status-after-wrong-zip')!;
    const keys = createDataKeyStore({
      client,
      tableName: platform.keysTable!,
      wrapper: createLocalKeyWrapper(loadOrCreateLocalMasterKey(masterKeyFile)),
    });
    await keys.eraseConversation(id);
    expect(await runAudit(['verify', id, ...flags()], capture().io)).toBe(0);
    const show = capture();
    expect(await runAudit(['show', id, ...flags()], show.io)).toBe(0);
    expect(show.out()).toContain('customer data: erased');
    expect(show.out()).toContain('customer: "[erased]"');
    const replay = capture();
    expect(await runReplay([id, ...flags()], { io: replay.io })).toBe(2);
    expect(replay.err()).toContain('the customer was erased');
    expect(replay.err()).toContain('aop audit verify` still proves its log is intact');
  });
});
