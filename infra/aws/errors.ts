/**
 * Errors of the CDK app. Each says what went wrong, the value received, what is allowed and what to
 * change, because they surface as the whole output of a failed `cdk synth`.
 */

export interface TenantConfigErrorContext {
  /** The tenant asked for (`-c tenant=NAME`), if any. */
  readonly tenant: string | undefined;
  /** The tenants that have a configuration file. */
  readonly available: readonly string[];
  /** The configuration file, when one was read. */
  readonly file?: string;
  /** One line per zod issue, `path: message`. */
  readonly issues?: readonly string[];
}

export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
  readonly tenant: string | undefined;
  readonly available: readonly string[];
  readonly file: string | undefined;
  readonly issues: readonly string[];

  constructor(message: string, context: TenantConfigErrorContext, options?: ErrorOptions) {
    super(message, options);
    this.tenant = context.tenant;
    this.available = context.available;
    this.file = context.file;
    this.issues = context.issues ?? [];
  }
}

export function isTenantConfigError(error: unknown): error is TenantConfigError {
  return error instanceof Error && error.name === 'TenantConfigError';
}

export interface ProcedureCompileErrorContext {
  readonly tenant: string;
  readonly aopsDir: string;
  /** Formatted diagnostics (errors only), one per entry. */
  readonly diagnostics: readonly string[];
}

/** The tenant's AOPs do not compile: a stack is never synthesized from a procedure that failed validation. */
export class ProcedureCompileError extends Error {
  override readonly name = 'ProcedureCompileError';
  readonly tenant: string;
  readonly aopsDir: string;
  readonly diagnostics: readonly string[];

  constructor(message: string, context: ProcedureCompileErrorContext, options?: ErrorOptions) {
    super(message, options);
    this.tenant = context.tenant;
    this.aopsDir = context.aopsDir;
    this.diagnostics = context.diagnostics;
  }
}

export function isProcedureCompileError(error: unknown): error is ProcedureCompileError {
  return error instanceof Error && error.name === 'ProcedureCompileError';
}
