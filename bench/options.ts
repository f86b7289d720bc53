/**
 * What `bench/run.ts` passes to every module's `run()`. A module that takes no options still fits
 * (`run(): Promise<void>`), so a new module needs only to export `run`.
 */
export interface BenchOptions {
  /**
   * Fewer rounds and samples (`npm run bench -- --short`): every figure is still computed and printed,
   * less precisely, in a fraction of the time. CI runs this so no part of the bench can rot unnoticed.
   * Default false.
   */
  readonly short?: boolean;
  /** An already running DynamoDB (tests pass theirs); default: a module that needs one starts DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
}
