/**
 * The environment for processes the e2e tests start: only what a shell would have, so no setting leaks in
 * from the test runner. Node hands NODE_V8_COVERAGE to every child unless the key is present, and c8
 * merges those children's reports badly (functions they loaded but never ran wipe out the counts the test
 * process recorded), so the children are run without coverage.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR } = process.env;
  return { PATH, HOME, TMPDIR, NODE_V8_COVERAGE: '', ...extra };
}
