import { reply } from '../shared/engine/steps.ts';
import { loadEnv } from './commons/env.ts';
import { instrument } from './commons/observability.ts';
import { createRuntime } from './commons/runtime.ts';

// Composition root: validated env and SDK clients once per container; the handler stays thin.
const runtime = createRuntime(loadEnv());

/** Step task of every compiled AOP (`${ReplyFunctionArn}`): receives and returns the turn state. */
export const handler = instrument('reply', (event: unknown) => reply(runtime.steps, event));
