import type { StoredEvent } from '../shared/events/catalogue.ts';

/**
 * Bursts on one conversation (issue 15, item 4), shared by `bench/burst.bench.ts` and
 * `test/e2e/burst.test.ts`: many clients send messages to one conversation at once over HTTP. Each
 * client sends its messages one after the other (the next once the last was acknowledged); a message
 * answered `202` has its answer fetched from the `Location` it was given, as a client should.
 */

export interface BurstOptions {
  readonly url: string;
  readonly conversationId: string;
  readonly sessionToken: string;
  readonly clients: number;
  readonly messagesPerClient: number;
  /** Give up fetching an answer after this long from the message's acknowledgement. Default 120 s. */
  readonly answerTimeoutMs?: number;
}

export interface BurstMessage {
  readonly messageId: string;
  /** HTTP status of the POST (0: no HTTP answer at all). */
  readonly status: number;
  /** From sending the POST to its answer (200 or 202), ms. */
  readonly ackMs: number;
  /** From sending the POST to having the reply (directly, or fetched after a 202), ms. */
  readonly answeredMs: number | undefined;
  readonly reply: string | undefined;
  /** `Location` of a 202. */
  readonly location: string | undefined;
  /** Statuses of the fetches of a 202's answer, other than 200 and 202. */
  readonly fetchErrors: readonly number[];
}

export async function runMessageBurst(options: BurstOptions): Promise<BurstMessage[]> {
  const { url, conversationId, sessionToken, clients, messagesPerClient } = options;
  const timeoutMs = options.answerTimeoutMs ?? 120_000;
  const headers = { 'content-type': 'application/json', 'x-session-token': sessionToken };
  const results: BurstMessage[] = [];

  async function fetchAnswer(location: string, sent: number, fetchErrors: number[]) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const response = await fetch(`${url}${location}`, { headers }).catch(() => undefined);
      const status = response?.status ?? 0;
      if (status === 200) {
        const body = (await response!.json()) as { reply: { text: string } };
        return { reply: body.reply.text, answeredMs: performance.now() - sent };
      }
      await response?.body?.cancel();
      if (status !== 202) fetchErrors.push(status);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { reply: undefined, answeredMs: undefined };
  }

  async function client(index: number): Promise<void> {
    const fetches: Promise<void>[] = [];
    for (let n = 0; n < messagesPerClient; n++) {
      const messageId = `burst-${index}-${n}`;
      const sent = performance.now();
      const response = await fetch(`${url}/v1/chat/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ message: `Hello, client ${index} here, message ${n + 1}.`, messageId }),
      }).catch(() => undefined);
      const ackMs = performance.now() - sent;
      const status = response?.status ?? 0;
      const body = (await response?.json().catch(() => undefined)) as
        | { reply?: { text: string }; location?: string }
        | undefined;
      if (status === 202 && body?.location) {
        const location = body.location;
        const fetchErrors: number[] = [];
        fetches.push(
          fetchAnswer(location, sent, fetchErrors).then(({ reply, answeredMs }) => {
            results.push({ messageId, status, ackMs, answeredMs, reply, location, fetchErrors });
          }),
        );
      } else
        results.push({
          messageId,
          status,
          ackMs,
          answeredMs: status === 200 ? ackMs : undefined,
          reply: body?.reply?.text,
          location: undefined,
          fetchErrors: [],
        });
    }
    await Promise.all(fetches);
  }

  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return results;
}

export interface BurstSummary {
  readonly messages: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  readonly answered: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly answeredP50: number;
  readonly answeredP99: number;
}

export function summarizeBurst(messages: readonly BurstMessage[]): BurstSummary {
  const byStatus: Record<string, number> = {};
  for (const message of messages) byStatus[message.status] = (byStatus[message.status] ?? 0) + 1;
  const answered = messages.filter((message) => message.reply !== undefined);
  return {
    messages: messages.length,
    byStatus,
    serverErrors:
      messages.filter((message) => message.status >= 500 || message.status === 0).length +
      messages.reduce(
        (sum, message) => sum + message.fetchErrors.filter((s) => s >= 500 || s === 0).length,
        0,
      ),
    answered: answered.length,
    ackP50: percentile(
      messages.map((message) => message.ackMs),
      50,
    ),
    ackP99: percentile(
      messages.map((message) => message.ackMs),
      99,
    ),
    answeredP50: percentile(
      answered.map((message) => message.answeredMs ?? 0),
      50,
    ),
    answeredP99: percentile(
      answered.map((message) => message.answeredMs ?? 0),
      99,
    ),
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * What the log says of the burst: each message stored once, each answered by exactly one turn, turns
 * in arrival order, and the reply each client got equal to what that turn said. Returns the problems.
 */
export function checkBurstLog(log: readonly StoredEvent[], messages: readonly BurstMessage[]): string[] {
  const problems: string[] = [];
  const received = log.flatMap((event) => (event.type === 'message.received' ? [event.data.messageId] : []));
  for (const message of messages) {
    const count = received.filter((id) => id === message.messageId).length;
    if (count !== 1) problems.push(`${message.messageId} is stored ${count} times`);
  }
  // Turns take waiting messages oldest first (fold.ts): pair them the same way, from the log alone.
  const waiting: string[] = [];
  const turnOf = new Map<string, number>();
  const started: number[] = [];
  for (const event of log) {
    if (event.type === 'message.received') waiting.push(event.data.messageId);
    if (event.type === 'turn.started') {
      started.push(event.data.turn);
      const answered = waiting.shift();
      if (answered !== undefined) turnOf.set(answered, event.data.turn);
    }
    if (event.type === 'turn.interrupted') problems.push(`turn ${event.data.turn} was interrupted`);
  }
  if (started.some((turn, index) => turn !== index + 1)) problems.push('turns are not numbered in order');
  const order = received.map((id) => turnOf.get(id));
  if (order.some((turn, index) => turn === undefined || (index > 0 && turn <= order[index - 1]!)))
    problems.push('messages are not answered one turn each, in arrival order');
  for (const message of messages) {
    const turn = turnOf.get(message.messageId);
    const said = log
      .filter((event) => event.type === 'message.sent' && event.turn === turn)
      .map((event) => (event.type === 'message.sent' ? event.data.text : ''))
      .join('\n\n');
    if (message.reply === undefined) problems.push(`${message.messageId} was never answered`);
    else if (message.reply !== said) problems.push(`${message.messageId} got a reply its turn did not say`);
  }
  return problems;
}
