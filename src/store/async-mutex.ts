/** A promise queue: callers run one at a time, in call order, whatever each one resolves or rejects with. */
export type Mutex = <T>(work: () => Promise<T>) => Promise<T>;

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    // The next caller waits for this one to settle, not to succeed: a failure must not wedge the queue.
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
}
