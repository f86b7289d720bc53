import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isStartupError } from '../../infra/local/errors.ts';
import {
  bedrockRegionOf,
  checkBedrockAccess,
  checkModelChoice,
  checkOpenAiCompatibleServer,
} from '../../infra/local/model-check.ts';
import { startPlatform } from '../../infra/local/platform.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

const failureOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isStartupError(error)) throw new Error(`expected a StartupError, got ${String(error)}`);
  return error.message;
};

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('checkOpenAiCompatibleServer', () => {
  let server: Server;
  let base: string;
  /** The recorded llama.cpp answer to GET /v1/models. */
  const models = JSON.stringify(
    (
      JSON.parse(
        readFileSync(
          resolve(import.meta.dirname, '../fixtures/openai-compatible/llama-cpp-models.json'),
          'utf8',
        ),
      ) as { body: unknown }
    ).body,
  );
  let body = models;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/v1/models' ? 200 : 404, { 'content-type': 'application/json' });
      response.end(request.url === '/v1/models' ? body : '{"error":{"message":"File Not Found"}}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));
  afterEach(() => {
    body = models;
  });

  it('passes when GET /models answers a model list', async () => {
    expect(await checkOpenAiCompatibleServer(`${base}/v1`, 'qwen2.5-7b-instruct')).toEqual({
      note: 'reachable',
    });
  });

  it('passes with a note when the list lacks the model (llama.cpp serves its one model anyway)', async () => {
    expect((await checkOpenAiCompatibleServer(`${base}/v1/`, 'llama3')).note).toBe(
      'the server lists qwen2.5-7b-instruct, not llama3; llama.cpp answers with its one model anyway, other servers will refuse the name',
    );
  });

  it('fails with a clear message when nothing listens at the base URL', async () => {
    const port = await closedPort();
    const message = await failureOf(checkOpenAiCompatibleServer(`http://127.0.0.1:${port}/v1`, 'x'));
    expect(message).toBe(
      `Cannot reach the OpenAI-compatible server at http://127.0.0.1:${port}/v1 (GET http://127.0.0.1:${port}/v1/models: connect ECONNREFUSED 127.0.0.1:${port}). Start it first (llama.cpp: llama-server -m <model.gguf> --jinja --port 8080; vLLM: vllm serve <model> --enable-auto-tool-choice --tool-call-parser <parser>; Ollama: ollama serve), and give its base URL with the /v1 path, e.g. --model openai:http://127.0.0.1:8080/v1#<model>.`,
    );
  });

  it('fails when the server does not answer in time', async () => {
    const message = await failureOf(
      checkOpenAiCompatibleServer(`${base}/v1`, 'x', {
        probeTimeoutMs: 20,
        fetch: (_url, init) =>
          new Promise((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
          ),
      }),
    );
    expect(message).toMatch(/^Cannot reach the OpenAI-compatible server at .*: no answer in time/);
  });

  it('fails when the base URL is wrong (no /v1), naming the status and the fix', async () => {
    const message = await failureOf(checkOpenAiCompatibleServer(base, 'x'));
    expect(message).toBe(
      `The OpenAI-compatible server at ${base} answered GET ${base}/models with HTTP 404 (File Not Found). Is the base URL right? It is the part before /chat/completions, usually ending in /v1.`,
    );
  });

  it('fails when the answer is not a model list', async () => {
    body = '<!doctype html><title>Open WebUI</title>';
    expect(await failureOf(checkOpenAiCompatibleServer(`${base}/v1`, 'x'))).toMatch(
      /answered GET .*\/v1\/models with something that is not a model list/,
    );
  });
});

describe('checkBedrockAccess', () => {
  let emptyDir: string;

  beforeAll(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'aop-no-aws-'));
    writeFileSync(join(emptyDir, 'config'), '');
    writeFileSync(join(emptyDir, 'credentials'), '');
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  /** An environment in which the default credential chain finds nothing, whatever this machine has. */
  const withoutCredentials = () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_ROLE_ARN',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ])
      vi.stubEnv(name, undefined);
    vi.stubEnv('AWS_PROFILE', 'aop-test-nonexistent-profile');
    vi.stubEnv('AWS_CONFIG_FILE', join(emptyDir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(emptyDir, 'credentials'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  };

  it('takes the region from AWS_REGION, else AWS_DEFAULT_REGION (which the SDK alone ignores)', () => {
    expect(bedrockRegionOf({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(bedrockRegionOf({ AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(bedrockRegionOf({ AWS_REGION: ' ' })).toBeUndefined();
  });

  it('fails when no region is set, saying which variable to set', async () => {
    expect(await failureOf(checkBedrockAccess('anthropic.claude-3-5-sonnet', { env: {} }))).toBe(
      'Cannot use Amazon Bedrock (model anthropic.claude-3-5-sonnet): no AWS region is set. Set AWS_REGION (or AWS_DEFAULT_REGION) to a region where the model is enabled for your account, e.g. AWS_REGION=us-east-1 npm start -- --model bedrock:anthropic.claude-3-5-sonnet.',
    );
  });

  it('fails when no credentials resolve, saying what is missing and how to provide it', async () => {
    withoutCredentials();
    const message = await failureOf(
      checkBedrockAccess('anthropic.claude-3-5-sonnet', { env: { AWS_REGION: 'us-east-1' } }),
    );
    expect(message).toMatch(
      /^Cannot use Amazon Bedrock \(model anthropic\.claude-3-5-sonnet in us-east-1\): no AWS credentials were found for profile "aop-test-nonexistent-profile" \(.+\)\. npm start signs Bedrock calls with your own credentials/,
    );
    expect(message).toContain('set AWS_PROFILE to a profile in ~/.aws/config');
    expect(message).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(message).toContain('npm start -- --model local');
    expect(message).not.toContain('\n');
  });

  it('passes when the default chain finds credentials, and says the region', async () => {
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE00');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
    expect(await checkBedrockAccess('m', { env: { AWS_DEFAULT_REGION: 'eu-central-1' } })).toEqual({
      note: 'in eu-central-1, with your AWS credentials',
      region: 'eu-central-1',
    });
  });

  it('is what checkModelChoice runs for a bedrock choice', async () => {
    withoutCredentials();
    vi.stubEnv('AWS_REGION', 'us-east-1');
    expect(await failureOf(checkModelChoice({ kind: 'bedrock', modelId: 'm' }))).toMatch(
      /no AWS credentials were found/,
    );
  });
});

describe('startPlatform with a model that cannot be used', () => {
  it('stops before starting anything, with the check’s message', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const message = await failureOf(
      startPlatform({
        aopsDir: RETAIL_AOPS,
        model: { kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, model: 'x' },
        log: (line) => lines.push(line),
      }),
    );
    expect(message).toMatch(/^Cannot reach the OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(lines).toEqual([]);
  });
});
