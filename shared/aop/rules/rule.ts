import type { ToolCatalogue } from '../../tools/define-tool.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { AopLibrary, FlowGraph, FlowState } from '../graph.ts';
import type { Aop } from '../ir.ts';

/** What every validation rule sees. Rules are pure: they read the context and return diagnostics. */
export interface RuleContext {
  readonly aop: Aop;
  readonly catalogue: ToolCatalogue;
  readonly library: AopLibrary;
  readonly graph: FlowGraph;
  /** State on entry to each reachable node (must-analysis). */
  readonly states: ReadonlyMap<string, FlowState>;
}

export interface Rule {
  readonly name: string;
  check(context: RuleContext): Diagnostic[];
}
