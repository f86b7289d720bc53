import {
  type ExpressionSite,
  isJsonObject,
  type JsonObject,
  mapStateExpressions,
  walkStates,
} from './asl-walk.ts';
import {
  type IntrinsicArg,
  type IntrinsicCall,
  isIntrinsicExpression,
  parseIntrinsic,
  printIntrinsic,
  transformIntrinsic,
} from './intrinsics.ts';

/**
 * Mechanical rewrites that make aws-local-stepfunctions 3.0.0 compute what AWS computes. The stored
 * and described definition stays the one the caller sent; only the executor's copy is rewritten.
 * Each rewrite exists because of a specific executor behaviour, named on the function.
 */

/**
 * Context key the endpoint fills with the real `$$.Execution` object. The executor rebuilds
 * `$$.Execution` for every Parallel branch and Map iteration with the branch's own input as `Input`
 * and a new `StartTime`; other context keys are passed down unchanged, so paths are pointed here.
 */
export const EXECUTION_CONTEXT_KEY = 'LocalSfnExecution';

const EXECUTION_PATH = /^\$\$\.Execution(?=$|[.[])/;

export function rewriteForLocalExecutor(definition: JsonObject): JsonObject {
  const copy = structuredClone(definition);
  for (const visited of walkStates(copy)) {
    mapStateExpressions(visited, rewriteExpression);
    dropWholeInputResultPaths(visited.state);
  }
  return copy;
}

function rewriteExpression(expression: string, site: ExpressionSite): string {
  if (site.kind === 'path') return relocateExecutionPath(expression);
  if (!isIntrinsicExpression(expression)) return relocateExecutionPath(expression);
  // Syntax errors were reported by the rules before any rewrite runs.
  const rewritten = transformIntrinsic(parseIntrinsic(expression), (node) => {
    if (node.kind === 'path') return { ...node, path: relocateExecutionPath(node.path) };
    if (node.kind === 'call' && node.name === 'States.JsonMerge') return copyFirstMergeArgument(node);
    return node;
  });
  return printIntrinsic(rewritten);
}

function relocateExecutionPath(path: string): string {
  return path.replace(EXECUTION_PATH, `$$$$.${EXECUTION_CONTEXT_KEY}`);
}

/**
 * The executor's `States.JsonMerge` is `Object.assign(first, second)`: it mutates the object the
 * first path points at (the state input, `$$.Execution.Input`, or the object shared by every Map
 * iteration). Nested call results are serialised and parsed again by the executor, so wrapping the
 * first path argument in a no-op merge hands the outer merge a private copy.
 */
function copyFirstMergeArgument(call: IntrinsicCall): IntrinsicCall {
  const [first, ...rest] = call.args;
  if (first?.kind !== 'path') return call;
  const emptyObject: IntrinsicArg = {
    kind: 'call',
    name: 'States.StringToJson',
    args: [{ kind: 'string', raw: "'{}'" }],
  };
  const copy: IntrinsicCall = {
    kind: 'call',
    name: 'States.JsonMerge',
    args: [first, emptyObject, { kind: 'literal', raw: 'false' }],
  };
  return { ...call, args: [copy, ...rest] };
}

/**
 * `ResultPath: "$"` means "the result replaces the input", the same as leaving it out, but the
 * executor strips `$.` and would store the result under a key named `$`.
 */
function dropWholeInputResultPaths(state: JsonObject): void {
  if (state.ResultPath === '$') delete state.ResultPath;
  if (Array.isArray(state.Catch)) {
    for (const catcher of state.Catch) {
      if (isJsonObject(catcher) && catcher.ResultPath === '$') delete catcher.ResultPath;
    }
  }
}
