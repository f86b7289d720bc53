import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createToolRuntime } from '../../aops/retail/tenant.ts';
import { type LocalModelEndpoint, startLocalModelEndpoint } from '../../infra/local/model-endpoint/server.ts';
import { ASL_ERRORS, RETRYABLE_ERRORS } from '../../shared/aop/error-names.ts';
import { compileProject } from '../../shared/aop/index.ts';
import type { AslDefinition } from '../../shared/aop/lower.ts';
import { handoff, reply, runTool, type StepDependencies, understand } from '../../shared/engine/steps.ts';
import { buildTurnInput } from '../../shared/engine/turn-input.ts';
import { type TurnState, TurnStateSchema } from '../../shared/engine/turn-state.ts';
import type { NewEvent } from '../../shared/events/catalogue.ts';
import { createEventStore, type EventStore } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { createModelClient } from '../../shared/model/client.ts';
import { ModelError } from '../../shared/model/errors.ts';
import { retailCatalogue, retailSources } from '../aop/support.ts';
import { functionArn, type LocalSfn, ROLE_ARN, startLocalSfn } from '../sfn-endpoint/support.ts';

/**
 * What a model failure does to a turn, end to end: the compiled cancel-pending-order machine runs on
 * the local Step Functions endpoint, its steps are the real ones (events in DynamoDB Local), and its
 * model client is the real one, talking Converse to the local model endpoint through a gate that
 * answers the first call(s) with the error Bedrock would send. A throttle is retried by the state
 * machine and the turn goes on; a refusal no retry can cure hands over at once, naming the error.
 */

const MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

/** Bedrock's wire form of an error: the SDK reads its name from `x-amzn-errortype`. */
interface WireError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

const THROTTLED: WireError = {
  status: 429,
  type: 'ThrottlingException',
  message: 'Too many requests, please wait before trying again.',
};
const REFUSED: WireError = {
  status: 400,
  type: 'ValidationException',
  message: 'The provided model identifier is invalid.',
};

let modelEndpoint: LocalModelEndpoint;
let gate: http2.Http2Server;
const gateSessions = new Set<http2.ServerHttp2Session>();
let upstream: http2.ClientHttp2Session;
/** Errors the gate answers with, one per Converse call, before it lets calls through. */
const failures: WireError[] = [];
let converseCalls = 0;
let dynamodb: DynamoDBClient;
let bedrock: BedrockRuntimeClient;
let events: EventStore;
let sfn: LocalSfn;
let stateMachineArn: string;

/** The gate speaks HTTP/2 in clear text, as the Bedrock client and the local model endpoint do. */
async function forward(request: http2.Http2ServerRequest, response: http2.Http2ServerResponse, body: Buffer) {
  converseCalls += 1;
  const failure = failures.shift();
  if (failure) {
    response.writeHead(failure.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${failure.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    });
    response.end(JSON.stringify({ message: failure.message }));
    return;
  }
  const stream = upstream.request({
    ':method': request.method,
    ':path': request.url,
    'content-type': 'application/json',
  });
  stream.end(body);
  const [status, answer] = await new Promise<[number, Buffer]>((resolve, reject) => {
    let code = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => {
      code = Number(headers[':status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve([code, Buffer.concat(chunks)]));
    stream.on('error', reject);
  });
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(answer);
}

beforeAll(async () => {
  modelEndpoint = await startLocalModelEndpoint({ port: 0 });
  upstream = http2.connect(`http://127.0.0.1:${modelEndpoint.port}`);
  gate = http2.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      forward(request, response, Buffer.concat(chunks)).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
  });
  gate.on('session', (session) => {
    gateSessions.add(session);
    session.on('close', () => gateSessions.delete(session));
  });
  await new Promise<void>((done) => gate.listen(0, '127.0.0.1', done));
  // One attempt per SDK call: what reaches the state machine is each call's first answer, so the
  // retry this test sees is the ASL's own (in Lambda the SDK retries first, then the ASL does).
  bedrock = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint') });
  const tableName = `model-errors-${randomUUID().slice(0, 8)}-events`;
  await ensureEventTable(dynamodb, tableName);
  events = createEventStore({ client: dynamodb, tableName });
  const deps: StepDependencies = {
    events,
    model: createModelClient({ client: bedrock, modelId: MODEL_ID }),
    // The first turn asks for the customer's identity: no tool runs, so no retail tables are needed.
    tools: createToolRuntime({ client: dynamodb, tablePrefix: `${tableName}-unused-` }),
  };
  const lambdas = {
    [functionArn('understand')]: (event: unknown) => understand(deps, event),
    [functionArn('run-tool')]: (event: unknown) => runTool(deps, event),
    [functionArn('reply')]: (event: unknown) => reply(deps, event),
    [functionArn('handoff')]: (event: unknown) => handoff(deps, event),
  };
  sfn = await startLocalSfn({ lambdas });
  const compiled = compileProject(retailSources(), { catalogue: retailCatalogue }).find(
    (aop) => aop.id === 'cancel-pending-order',
  );
  const definition = JSON.stringify(compiled?.asl as AslDefinition)
    .replaceAll('${UnderstandFunctionArn}', functionArn('understand'))
    .replaceAll('${ToolFunctionArn}', functionArn('run-tool'))
    .replaceAll('${ReplyFunctionArn}', functionArn('reply'))
    .replaceAll('${HandoffFunctionArn}', functionArn('handoff'));
  const created = await sfn.client.send(
    new CreateStateMachineCommand({
      name: 'cancel-pending-order',
      definition,
      roleArn: ROLE_ARN,
      type: 'EXPRESS',
    }),
  );
  stateMachineArn = created.stateMachineArn!;
});

afterAll(async () => {
  await sfn?.close();
  bedrock?.destroy();
  dynamodb?.destroy();
  upstream?.close();
  for (const session of gateSessions) session.destroy();
  await new Promise((done) => gate?.close(done));
  await modelEndpoint?.stop();
});

/** A conversation's first turn on the machine: the message is stored, then the execution runs. */
async function firstTurn(message: string): Promise<{ status: string | undefined; output: TurnState }> {
  const conversationId = randomUUID();
  const time = new Date();
  const now = time.toISOString();
  const aop = { id: 'cancel-pending-order', version: 1 };
  const opening: NewEvent[] = [
    { type: 'conversation.started', time: now, actor: 'system', data: { tenant: 'test', channel: 'chat' } },
    {
      type: 'message.received',
      time: now,
      actor: 'customer',
      data: { messageId: randomUUID(), text: message, channel: 'chat' },
    },
    { type: 'turn.started', time: now, actor: 'system', turn: 1, aop, data: { turn: 1, now, resume: '' } },
  ];
  const { events: stored } = await events.append(conversationId, opening, { expectedVersion: 0 });
  const head = stored[stored.length - 1]!;
  const input = buildTurnInput({
    conversationId,
    tenant: 'test',
    turn: 1,
    aop,
    head: { seq: head.seq, hash: head.hash },
    message,
    now: time,
    resume: '',
    cutoffDays: [],
    carried: { facts: {}, confirm: {}, counters: {}, awaiting: null },
  });
  const result = await sfn.client.send(
    new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  expect(result.status, `${result.error}: ${result.cause}`).toBe('SUCCEEDED');
  const output = TurnStateSchema.parse(JSON.parse(result.output ?? '{}'));
  return { status: result.status, output };
}

describe('the names that cross into the ASL', () => {
  it('are the names the model client throws: retryable as ModelUnavailable, the rest as ModelError', () => {
    const throttled = new ModelError('throttled', {
      code: 'call_failed',
      modelId: MODEL_ID,
      retryable: true,
    });
    const refused = new ModelError('refused', { code: 'call_failed', modelId: MODEL_ID });
    expect(throttled.name).toBe(ASL_ERRORS.modelUnavailable);
    expect(RETRYABLE_ERRORS).toContain(throttled.name);
    expect(refused.name).toBe(ASL_ERRORS.modelFailed);
    expect(RETRYABLE_ERRORS).not.toContain(refused.name);
  });

  it('are the only names any compiled retail procedure retries', () => {
    const retried = new Set<string>();
    for (const aop of compileProject(retailSources(), { catalogue: retailCatalogue })) {
      for (const state of Object.values(aop.asl?.States ?? {}))
        for (const retry of (state.Retry as { ErrorEquals: string[] }[] | undefined) ?? [])
          for (const name of retry.ErrorEquals) retried.add(name);
    }
    expect([...retried].sort()).toEqual([...RETRYABLE_ERRORS].sort());
    expect(retried).toContain(ASL_ERRORS.modelUnavailable);
    expect(retried).toContain(ASL_ERRORS.toolUnavailable);
  });
});

describe('a turn whose model call fails', () => {
  it('is retried by the state machine when Bedrock throttles, and then goes on', async () => {
    failures.splice(0, failures.length, THROTTLED);
    converseCalls = 0;
    const { output } = await firstTurn('Hi, I want to cancel my order');
    // The throttled call and its retry: the Understand state ran twice.
    expect(converseCalls).toBe(2);
    expect(output.status).toBe('active');
    expect(output.replies.join(' ')).toMatch(/email/i);
    const log = await events.read(output.ctx.conversationId);
    expect(log.map((event) => event.type)).not.toContain('handoff.requested');
  });

  it('hands over at once, with the error as its reason, when no retry can cure it', async () => {
    failures.splice(0, failures.length, REFUSED, REFUSED, REFUSED, REFUSED);
    converseCalls = 0;
    const { output } = await firstTurn('Hi, I want to cancel my order');
    failures.length = 0;
    // Not retried: one call only.
    expect(converseCalls).toBe(1);
    expect(output.status).toBe('escalated');
    const log = await events.read(output.ctx.conversationId);
    const handoffs = log.filter((event) => event.type === 'handoff.requested');
    expect(handoffs).toHaveLength(1);
    const reason = handoffs[0]?.type === 'handoff.requested' ? handoffs[0].data.reason : '';
    expect(reason).toMatch(/^A system error stopped the procedure\. ModelError: /);
    expect(reason).toContain('ValidationException: The provided model identifier is invalid.');
  });
});
