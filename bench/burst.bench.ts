import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startPlatform } from '../infra/local/platform.ts';
import { appendAtHead } from '../shared/events/backoff.ts';
import type { StoredEvent } from '../shared/events/catalogue.ts';
import { verifyChain } from '../shared/events/hash-chain.ts';
import { createEventStore } from '../shared/events/store.ts';
import { ensureEventTable } from '../shared/events/table.ts';
import { RETAIL_AOPS } from '../test/support/retail.ts';
import { checkBurstLog, percentile, runMessageBurst, summarizeBurst } from './burst-driver.ts';
import type { BenchOptions } from './options.ts';

/**
 * Bursts (issue 15, item 4), on the local platform:
 *
 * - appends under contention: W writers append N events each to one stream through the event store,
 *   every append at the head it just read, retried with capped exponential backoff and full jitter
 *   on a version conflict (shared/events/backoff.ts). Target: 50 × 100 in ≤ 120 s.
 * - messages to one busy conversation: C clients send 2 messages each to one conversation over HTTP.
 *   Target: every message acknowledged (200, or 202 with where to fetch the answer), p99 ≤ 10 s, no
 *   5xx; every message then answered exactly once, in arrival order (checked on the log).
 */
const SIZES = {
  full: { writers: 50, appends: 100, racingAppends: 10, clients: 50 },
  short: { writers: 10, appends: 20, racingAppends: 5, clients: 10 },
} as const;
const MESSAGES_PER_CLIENT = 2;
const APPEND_TARGET_S = 120;
const ACK_P99_TARGET_MS = 10_000;

export async function run({ short = false, dynamodbEndpoint }: BenchOptions = {}): Promise<void> {
  const size = short ? SIZES.short : SIZES.full;
  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    tenant: `burst${Date.now()}`,
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
  });
  try {
    // Writers in one process (their appends queue per stream), then writers that share nothing (as
    // separate processes would: only the version check and the backoff keep them apart).
    await appendContention(platform.dynamodbEndpoint, size.writers, size.appends, true);
    await appendContention(platform.dynamodbEndpoint, size.writers, size.racingAppends, false);
    await messageBurst(platform.url, platform.operatorToken, size.clients);
  } finally {
    await platform.stop();
  }
}

async function appendContention(
  endpoint: string,
  writers: number,
  appends: number,
  queue: boolean,
): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  const tableName = `bench-contention-${randomUUID().slice(0, 8)}`;
  await ensureEventTable(client, tableName);
  const store = createEventStore({ client, tableName });
  const stream = `contention-${randomUUID()}`;
  const latencies: number[] = [];
  let conflicts = 0;
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < appends; n++) {
          const sent = performance.now();
          const { attempts } = await appendAtHead(
            store,
            stream,
            [
              {
                type: 'message.received',
                time: new Date().toISOString(),
                actor: 'customer',
                data: {
                  messageId: `w${writer}-${n}`,
                  text: `writer ${writer}, append ${n}`,
                  channel: 'bench',
                },
              },
            ],
            { idempotencyKey: `message-w${writer}-${n}`, deadlineMs: APPEND_TARGET_S * 1000, queue },
          );
          latencies.push(performance.now() - sent);
          conflicts += attempts - 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const log: StoredEvent[] = await store.read(stream);
    const chain = verifyChain(log, { conversationId: stream });
    const total = writers * appends;
    const complete = log.length === total && chain.ok;
    process.stdout.write(
      [
        `appends under contention, ${queue ? 'writers in one process' : 'independent writers (no shared queue)'}: ${writers} × ${appends} on one stream: ${log.length} of ${total} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s)  ${!queue ? '' : seconds <= APPEND_TARGET_S && complete ? `(target 50 × 100 <= ${APPEND_TARGET_S} s)` : `OVER TARGET ${APPEND_TARGET_S} s`}`,
        `  per append p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; ${conflicts} version conflicts retried with jittered backoff; chain ${chain.ok ? 'intact' : 'BROKEN'}`,
        '',
      ].join('\n'),
    );
    if (!complete)
      throw new Error(`appends under contention: ${log.length} of ${total} stored, chain ok: ${chain.ok}`);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => {});
    client.destroy();
  }
}

async function messageBurst(url: string, operatorToken: string, clients: number): Promise<void> {
  const opened = await fetch(`${url}/v1/chat/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Hi, I want to cancel my order #W5918442' }),
  });
  const { conversationId, sessionToken } = (await opened.json()) as {
    conversationId: string;
    sessionToken: string;
  };
  const started = performance.now();
  const messages = await runMessageBurst({
    url,
    conversationId,
    sessionToken,
    clients,
    messagesPerClient: MESSAGES_PER_CLIENT,
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = summarizeBurst(messages);
  const { events: log } = (await (
    await fetch(`${url}/v1/conversations/${conversationId}/events`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    })
  ).json()) as { events: StoredEvent[] };
  const verified = (await (
    await fetch(`${url}/v1/conversations/${conversationId}/verify`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    })
  ).json()) as { ok: boolean };
  const problems = checkBurstLog(log, messages);
  const statuses = Object.entries(summary.byStatus)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  const acknowledged = (summary.byStatus['200'] ?? 0) + (summary.byStatus['202'] ?? 0);
  const met =
    acknowledged === summary.messages && summary.serverErrors === 0 && summary.ackP99 <= ACK_P99_TARGET_MS;
  process.stdout.write(
    [
      `burst on one conversation: ${clients} clients × ${MESSAGES_PER_CLIENT} messages: ${acknowledged} of ${summary.messages} acknowledged (${statuses}), ${summary.serverErrors} server errors; ack p50 ${(summary.ackP50 / 1000).toFixed(2)} s, p99 ${(summary.ackP99 / 1000).toFixed(2)} s  ${met ? `(target p99 <= ${ACK_P99_TARGET_MS / 1000} s, no 5xx)` : `OVER TARGET (p99 <= ${ACK_P99_TARGET_MS / 1000} s, no 5xx)`}`,
      `  answered ${summary.answered} of ${summary.messages} (p50 ${(summary.answeredP50 / 1000).toFixed(2)} s, p99 ${(summary.answeredP99 / 1000).toFixed(2)} s, all in ${seconds.toFixed(1)} s); log: ${problems.length === 0 ? 'each message stored once and answered once, in arrival order' : problems.slice(0, 3).join('; ')}; verify ${verified.ok ? 'ok' : 'BROKEN'}`,
      '',
    ].join('\n'),
  );
  if (problems.length > 0 || !verified.ok || summary.serverErrors > 0)
    throw new Error(
      `burst on one conversation: ${problems.length} problems, verify ${verified.ok}, ${summary.serverErrors} server errors`,
    );
}
