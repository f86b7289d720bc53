export { buildIr } from './build-ir.ts';
export { COMPILER_VERSION, type CompiledAop, compileProject, type Manifest } from './compile.ts';
export { type Diagnostic, DiagnosticCodes, hasErrors, type Span } from './diagnostics.ts';
export { explainMermaid, explainText } from './explain.ts';
export { formatDiagnostic } from './format.ts';
export type { Action, Aop, Condition, Step } from './ir.ts';
export { type AslDefinition, confirmationKey, FUNCTION_PLACEHOLDERS, type SlotSpec } from './lower.ts';
export { LIMITS } from './self-check.ts';
export { parseSource, type SourceFile } from './source.ts';
