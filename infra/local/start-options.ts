import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StartupError } from './errors.ts';
import { type ModelChoice, modelChoiceFrom } from './model-choice.ts';

/** Where `npm start` keeps DynamoDB Local's tables between runs (git-ignored, like all of `.cache/`). */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../.cache/dynamodb-data');

export interface StartOptions {
  readonly model: ModelChoice;
  /** DynamoDB Local's data directory; null for a throw-away in-memory database (`--in-memory`). */
  readonly dataDir: string | null;
  /** The tenant folders to serve (`--aops aops/<tenant>`, repeatable); default: every one under aops/. */
  readonly aopsDirs: readonly string[];
  /**
   * A DynamoDB already running (`--dynamodb-endpoint`): how `npm start` serving several tenants points
   * each tenant's process at the one DynamoDB Local it started.
   */
  readonly dynamodbEndpoint?: string;
}

/**
 * `npm start [-- --model <choice>] [--in-memory] [--aops aops/<tenant>]…`. Conversations, audit trails and AOP versions are
 * kept in `.cache/dynamodb-data` unless `--in-memory` asks for a database that is gone on stop.
 */
export function startOptionsFrom({
  args,
  env,
}: {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}): StartOptions {
  let values: { model?: string; 'in-memory'?: boolean; aops?: string[]; 'dynamodb-endpoint'?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        model: { type: 'string' },
        'in-memory': { type: 'boolean' },
        aops: { type: 'string', multiple: true },
        'dynamodb-endpoint': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new StartupError(
      `npm start: ${(error as Error).message}. It takes --model <choice> (local, bedrock:<model id> or openai:<base url>#<model>; docs/local-model.md) and --in-memory (a throw-away database instead of .cache/dynamodb-data) and --aops <tenant folder> (a tenant to serve, repeatable; default: every one under aops/).`,
      { cause: error },
    );
  }
  const model = modelChoiceFrom({ args: values.model === undefined ? [] : [`--model=${values.model}`], env });
  return {
    model,
    dataDir: values['in-memory'] ? null : DEFAULT_DATA_DIR,
    aopsDirs: (values.aops ?? []).map((dir) => resolve(dir)),
    ...(values['dynamodb-endpoint'] === undefined ? {} : { dynamodbEndpoint: values['dynamodb-endpoint'] }),
  };
}
