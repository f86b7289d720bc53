import { describe, expect, it } from 'vitest';
import { isStartupError } from '../../infra/local/errors.ts';
import { modelChoiceFrom, parseModelChoice } from '../../infra/local/model-choice.ts';

const failureOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (isStartupError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a StartupError');
};

describe('parseModelChoice', () => {
  it('reads the three choices', () => {
    expect(parseModelChoice('local')).toEqual({ kind: 'local' });
    expect(parseModelChoice('bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0')).toEqual({
      kind: 'bedrock',
      modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    });
    expect(
      parseModelChoice(
        'bedrock:arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0',
      ),
    ).toMatchObject({ kind: 'bedrock' });
    expect(parseModelChoice('openai:http://127.0.0.1:8080/v1#qwen2.5-7b-instruct')).toEqual({
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'qwen2.5-7b-instruct',
    });
  });

  it('keeps colons and slashes in model names and drops a trailing slash from the base URL', () => {
    expect(parseModelChoice('openai:http://localhost:11434/v1/#qwen2.5:7b')).toEqual({
      kind: 'openai',
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5:7b',
    });
    expect(parseModelChoice('openai:https://vllm.internal/v1#Qwen/Qwen2.5-7B-Instruct')).toMatchObject({
      model: 'Qwen/Qwen2.5-7B-Instruct',
    });
  });

  it.each([
    [
      'gpt-4o',
      '--model "gpt-4o" is not a model choice. Use local, bedrock:<model id> or openai:<base url>#<model>.',
    ],
    ['', '--model "" is not a model choice. Use local, bedrock:<model id> or openai:<base url>#<model>.'],
    [
      'bedrock:',
      '--model "bedrock:" names no model. Write bedrock:<model id or inference profile>, e.g. bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0.',
    ],
    [
      'openai:http://127.0.0.1:8080/v1',
      '--model "openai:http://127.0.0.1:8080/v1" names no model. Write openai:<base url>#<model>, e.g. openai:http://127.0.0.1:8080/v1#qwen2.5-7b-instruct.',
    ],
    [
      'openai:http://127.0.0.1:8080/v1#',
      '--model "openai:http://127.0.0.1:8080/v1#" names no model after "#". Write openai:http://127.0.0.1:8080/v1#<model>, the name the server knows it by.',
    ],
    [
      'openai:ftp://models.internal/v1#qwen',
      '--model "openai:ftp://models.internal/v1#qwen" has a ftp: base URL; the server must be reached over http: or https:.',
    ],
    [
      'openai:127.0.0.1:8080/v1#qwen',
      '--model "openai:127.0.0.1:8080/v1#qwen" has "127.0.0.1:8080/v1" as its base URL, which is not a URL. Write the server\'s base URL with its scheme, e.g. http://127.0.0.1:8080/v1.',
    ],
    [
      'openai:localhost#qwen',
      '--model "openai:localhost#qwen" has "localhost" as its base URL, which is not a URL. Write the server\'s base URL with its scheme, e.g. http://127.0.0.1:8080/v1.',
    ],
    [
      'openai:http://127.0.0.1:8080/v1?key=1#qwen',
      '--model "openai:http://127.0.0.1:8080/v1?key=1#qwen" has a query string in its base URL "http://127.0.0.1:8080/v1?key=1"; give the base the API paths (/chat/completions, /models) are under.',
    ],
  ])('fails on %j with a message saying what to write', (text, message) => {
    expect(failureOf(() => parseModelChoice(text))).toBe(message);
  });

  it('names the source of the choice in the error', () => {
    expect(failureOf(() => parseModelChoice('claude', 'AOP_MODEL'))).toMatch(/^AOP_MODEL "claude"/);
  });
});

describe('modelChoiceFrom', () => {
  it('defaults to the local engine', () => {
    expect(modelChoiceFrom({ args: [], env: {} })).toEqual({ kind: 'local' });
    expect(modelChoiceFrom({ args: [], env: { AOP_MODEL: '  ' } })).toEqual({ kind: 'local' });
  });

  it('reads AOP_MODEL, and the flag over it', () => {
    const env = { AOP_MODEL: 'bedrock:anthropic.claude-3-5-sonnet' };
    expect(modelChoiceFrom({ args: [], env })).toEqual({
      kind: 'bedrock',
      modelId: 'anthropic.claude-3-5-sonnet',
    });
    expect(modelChoiceFrom({ args: ['--model', 'local'], env })).toEqual({ kind: 'local' });
    expect(modelChoiceFrom({ args: ['--model=openai:http://h:1/v1#m'], env })).toMatchObject({
      kind: 'openai',
      model: 'm',
    });
  });

  it('fails on an unknown option or a missing value, listing what npm start takes', () => {
    expect(failureOf(() => modelChoiceFrom({ args: ['--modle', 'local'], env: {} }))).toMatch(
      /^npm start: Unknown option '--modle'.*It takes one option, --model <choice>/,
    );
    expect(failureOf(() => modelChoiceFrom({ args: ['--model'], env: {} }))).toMatch(
      /^npm start: Option '--model <value>' argument missing/,
    );
  });

  it('names AOP_MODEL when the variable is malformed', () => {
    expect(failureOf(() => modelChoiceFrom({ args: [], env: { AOP_MODEL: 'openai:x' } }))).toMatch(
      /^AOP_MODEL "openai:x" names no model/,
    );
  });
});
