import { readConverseRequest, validationError } from './converse.ts';
import {
  fromChatCompletionsResponse,
  fromFetchFailure,
  toChatCompletionsRequest,
  type Upstream,
} from './openai-compatible.ts';
import { type ConverseAnswerer, type LocalModelEndpoint, startLocalModelEndpoint } from './server.ts';

/**
 * The Converse adapter for an OpenAI-compatible server (llama.cpp server, vLLM, Ollama): the local
 * model endpoint's HTTP/2 plumbing, answering each `POST /model/{model}/converse` by one
 * `POST <base>/chat/completions` for that model. The handlers keep their `BedrockRuntimeClient` and
 * their Converse request; only `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` points here.
 */

export interface OpenAiCompatibleOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080/v1` (no trailing slash needed). */
  readonly baseUrl: string;
  /**
   * How long one chat completion may take (ms). Default 120 s: a model on a laptop CPU can take tens
   * of seconds for the first prompt; past this the call fails as `ServiceUnavailableException`.
   */
  readonly timeoutMs?: number;
  /** Injectable for tests; default Node's global fetch. */
  readonly fetch?: typeof fetch;
}

/** Answers Converse requests by forwarding them to the server; never throws (failures are answers). */
export function forwardToOpenAiCompatible({
  baseUrl,
  timeoutMs = 120_000,
  fetch: send = fetch,
}: OpenAiCompatibleOptions): ConverseAnswerer {
  const base = baseUrl.replace(/\/+$/, '');
  return async function answerByOpenAiCompatible(modelId, rawBody) {
    const read = readConverseRequest(rawBody);
    if ('refusal' in read) return read.refusal;
    const upstream: Upstream = { baseUrl: base, model: modelId };
    const body = toChatCompletionsRequest(read.request, modelId);
    if (typeof body === 'string') return validationError(body);

    const started = performance.now();
    try {
      const response = await send(`${base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return fromChatCompletionsResponse(
        { status: response.status, text },
        upstream,
        performance.now() - started,
      );
    } catch (error) {
      return fromFetchFailure(error, upstream);
    }
  };
}

export interface OpenAiCompatibleAdapterOptions extends OpenAiCompatibleOptions {
  /** Port to listen on. Default 0: a free port, read it from the result. */
  readonly port?: number;
  /** Default 127.0.0.1: the adapter is for this machine's handlers only. */
  readonly host?: string;
}

export function startOpenAiCompatibleAdapter({
  port = 0,
  host = '127.0.0.1',
  ...forward
}: OpenAiCompatibleAdapterOptions): Promise<LocalModelEndpoint> {
  return startLocalModelEndpoint({ port, host, answer: forwardToOpenAiCompatible(forward) });
}
