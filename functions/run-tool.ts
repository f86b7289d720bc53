import { runTool } from '../shared/engine/steps.ts';
import { loadEnv } from './commons/env.ts';
import { instrument } from './commons/observability.ts';
import { createRuntime } from './commons/runtime.ts';

// Composition root: validated env and SDK clients once per container; the handler stays thin.
const runtime = createRuntime(loadEnv());

/** Step task of every compiled AOP (`${ToolFunctionArn}`): receives and returns the turn state. */
export const handler = instrument('run-tool', (event: unknown) => runTool(runtime.steps, event));
