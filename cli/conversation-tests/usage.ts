/** `aop test` in `aop help` (its own module, so that `aop help` loads nothing of the runner). */
export const TEST_USAGE = `  test [paths…] [--json] [--filter TEXT] [--dynamodb-endpoint URL]
                                   run the conversation tests (aops/<tenant>/tests/*.yaml, default path aops/)
                                   on an in-process local platform; exit 1 when one fails, 2 on bad files
`;
