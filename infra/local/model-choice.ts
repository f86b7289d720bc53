import { parseArgs } from 'node:util';
import { StartupError } from './errors.ts';

/**
 * Which model reads the customer's messages when the platform runs locally (docs/local-model.md,
 * "Choosing the model"). Whatever the choice, the handlers call Converse through the same
 * `BedrockRuntimeClient`; only the endpoint and `MODEL_ID` differ.
 */
export type ModelChoice =
  /** The deterministic extraction engine behind the local model endpoint (not a language model). */
  | { readonly kind: 'local' }
  /** Amazon Bedrock itself, with the developer's AWS credentials. */
  | { readonly kind: 'bedrock'; readonly modelId: string }
  /** An OpenAI-compatible chat-completions server (llama.cpp, vLLM, Ollama) behind the Converse adapter. */
  | { readonly kind: 'openai'; readonly baseUrl: string; readonly model: string };

export const LOCAL_MODEL: ModelChoice = Object.freeze({ kind: 'local' });

const FORMS = 'local, bedrock:<model id> or openai:<base url>#<model>';

/**
 * The choice from `npm start -- --model <choice>`, else from `AOP_MODEL`, else `local`. The flag wins
 * so a one-off run can override what a shell profile exports.
 */
export function modelChoiceFrom({
  args,
  env,
}: {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}): ModelChoice {
  let flag: string | undefined;
  try {
    flag = parseArgs({ args: [...args], options: { model: { type: 'string' } }, strict: true }).values.model;
  } catch (error) {
    throw new StartupError(
      `npm start: ${(error as Error).message}. It takes one option, --model <choice>, where the choice is ${FORMS} (e.g. npm start -- --model bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0).`,
      { cause: error },
    );
  }
  if (flag !== undefined) return parseModelChoice(flag, '--model');
  const fromEnv = env.AOP_MODEL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseModelChoice(fromEnv, 'AOP_MODEL');
  return LOCAL_MODEL;
}

/** Reads one choice; `source` (the flag or the variable) is named in the error. */
export function parseModelChoice(text: string, source = '--model'): ModelChoice {
  const choice = text.trim();
  const fail = (why: string): never => {
    throw new StartupError(`${source} "${text}" ${why}`);
  };
  if (choice === 'local') return LOCAL_MODEL;

  if (choice.startsWith('bedrock:')) {
    const modelId = choice.slice('bedrock:'.length);
    if (modelId === '')
      fail(
        'names no model. Write bedrock:<model id or inference profile>, e.g. bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0.',
      );
    if (/\s/.test(modelId)) fail(`has a space in its model id "${modelId}"; Bedrock model ids have none.`);
    if (modelId.length > 2048) fail(`has a model id of ${modelId.length} characters; Bedrock allows 2048.`);
    return { kind: 'bedrock', modelId };
  }

  if (choice.startsWith('openai:')) {
    const rest = choice.slice('openai:'.length);
    const hash = rest.lastIndexOf('#');
    if (hash < 0)
      fail(
        'names no model. Write openai:<base url>#<model>, e.g. openai:http://127.0.0.1:8080/v1#qwen2.5-7b-instruct.',
      );
    const base = rest.slice(0, hash);
    const model = rest.slice(hash + 1);
    if (model === '')
      fail(`names no model after "#". Write openai:${base}#<model>, the name the server knows it by.`);
    if (/\s/.test(model)) fail(`has a space in its model name "${model}".`);
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      return fail(
        `has "${base}" as its base URL, which is not a URL. Write the server's base URL with its scheme, e.g. http://127.0.0.1:8080/v1.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      fail(`has a ${url.protocol} base URL; the server must be reached over http: or https:.`);
    if (url.search !== '')
      fail(
        `has a query string in its base URL "${base}"; give the base the API paths (/chat/completions, /models) are under.`,
      );
    return { kind: 'openai', baseUrl: base.replace(/\/+$/, ''), model };
  }

  return fail(`is not a model choice. Use ${FORMS}.`);
}

/** One line for the start log and the ready banner. */
export function describeModelChoice(choice: ModelChoice): string {
  switch (choice.kind) {
    case 'local':
      return 'local extraction engine (deterministic, not a language model)';
    case 'bedrock':
      return `Amazon Bedrock, model ${choice.modelId}`;
    case 'openai':
      return `model ${choice.model} on the OpenAI-compatible server at ${choice.baseUrl}`;
  }
}
