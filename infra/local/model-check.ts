import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { StartupError } from './errors.ts';
import type { ModelChoice } from './model-choice.ts';
import { errorMessageOf, fetchFailureReason } from './model-endpoint/openai-compatible.ts';

/**
 * What `npm start` checks before it starts anything for a model choice, so a missing credential or a
 * server that is not running stops the start with one clear paragraph instead of failing the first
 * customer turn minutes later. Each check throws a `StartupError`.
 */

export interface ModelCheck {
  /** For the start log: where the model runs, or what looked odd. */
  readonly note: string;
  /** The AWS region the handlers must use (Bedrock only). */
  readonly region?: string;
}

export interface ModelCheckOptions {
  /** Where AWS settings are read (default `process.env`); the SDK's credential chain reads `process.env` itself. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Injectable for tests; default Node's global fetch. */
  readonly fetch?: typeof fetch;
  /** How long the OpenAI-compatible server has to answer `GET /models` (ms). Default 5 s. */
  readonly probeTimeoutMs?: number;
}

export async function checkModelChoice(
  choice: ModelChoice,
  options: ModelCheckOptions = {},
): Promise<ModelCheck> {
  switch (choice.kind) {
    case 'local':
      return { note: 'served by the local model endpoint' };
    case 'bedrock':
      return checkBedrockAccess(choice.modelId, options);
    case 'openai':
      return checkOpenAiCompatibleServer(choice.baseUrl, choice.model, options);
  }
}

/**
 * The AWS SDK for JavaScript reads only `AWS_REGION` (and the profile's region); the AWS CLI also reads
 * `AWS_DEFAULT_REGION`, so a developer set up for the CLI is honoured too.
 */
export function bedrockRegionOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  return region === '' ? undefined : region;
}

/**
 * A region is set and the default credential chain (the one the handlers' `BedrockRuntimeClient` will
 * use) yields credentials, resolved once here. Whether the account may invoke the model is only known
 * on the first call, which costs tokens, so it is not tried.
 */
export async function checkBedrockAccess(
  modelId: string,
  { env = process.env }: ModelCheckOptions = {},
): Promise<ModelCheck> {
  const region = bedrockRegionOf(env);
  if (region === undefined) {
    throw new StartupError(
      `Cannot use Amazon Bedrock (model ${modelId}): no AWS region is set. Set AWS_REGION (or AWS_DEFAULT_REGION) to a region where the model is enabled for your account, e.g. AWS_REGION=us-east-1 npm start -- --model bedrock:${modelId}.`,
    );
  }
  const client = new BedrockRuntimeClient({ region });
  try {
    await client.config.credentials();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // The SDK's credential chain reads the process environment, not `env`.
    const profile = process.env.AWS_PROFILE ? ` for profile "${process.env.AWS_PROFILE}"` : '';
    throw new StartupError(
      `Cannot use Amazon Bedrock (model ${modelId} in ${region}): no AWS credentials were found${profile} (${reason}). npm start signs Bedrock calls with your own credentials, found the way the AWS CLI finds them: set AWS_PROFILE to a profile in ~/.aws/config (run "aws sso login --profile <name>" first for an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), then start again. To run without a real model: npm start -- --model local.`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
  return { note: `in ${region}, with your AWS credentials`, region };
}

/**
 * The server answers `GET <base>/models` (llama.cpp server, vLLM and Ollama all serve it). A model
 * name the list lacks is only noted: llama.cpp answers with its one model whatever the name.
 */
export async function checkOpenAiCompatibleServer(
  baseUrl: string,
  model: string,
  { fetch: send = fetch, probeTimeoutMs = 5_000 }: ModelCheckOptions = {},
): Promise<ModelCheck> {
  const base = baseUrl.replace(/\/+$/, '');
  const start =
    'Start it first (llama.cpp: llama-server -m <model.gguf> --jinja --port 8080; vLLM: vllm serve <model> --enable-auto-tool-choice --tool-call-parser <parser>; Ollama: ollama serve), and give its base URL with the /v1 path, e.g. --model openai:http://127.0.0.1:8080/v1#<model>.';
  let response: Response;
  try {
    response = await send(`${base}/models`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(probeTimeoutMs),
    });
  } catch (error) {
    throw new StartupError(
      `Cannot reach the OpenAI-compatible server at ${base} (GET ${base}/models: ${fetchFailureReason(error)}). ${start}`,
      { cause: error },
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new StartupError(
      `The OpenAI-compatible server at ${base} answered GET ${base}/models with HTTP ${response.status} (${errorMessageOf(text)}). Is the base URL right? It is the part before /chat/completions, usually ending in /v1.`,
    );
  }
  const served = modelsIn(text);
  if (served === undefined)
    throw new StartupError(
      `The server at ${base} answered GET ${base}/models with something that is not a model list; is it an OpenAI-compatible server, and does the base URL end where /models is (usually /v1)?`,
    );
  if (served.length > 0 && !served.includes(model))
    return {
      note: `the server lists ${served.join(', ')}, not ${model}; llama.cpp answers with its one model anyway, other servers will refuse the name`,
    };
  return { note: 'reachable' };
}

/** `{"object": "list", "data": [{"id": …}, …]}`: the ids, or undefined when the body is not such a list. */
function modelsIn(text: string): string[] | undefined {
  try {
    const data = (JSON.parse(text) as { data?: unknown }).data;
    if (!Array.isArray(data)) return undefined;
    return data.flatMap((entry) =>
      typeof (entry as { id?: unknown })?.id === 'string' ? [(entry as { id: string }).id] : [],
    );
  } catch {
    return undefined;
  }
}
