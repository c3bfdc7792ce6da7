/*
 * aws-local-stepfunctions 3.0.0 declares Node >= 22 and calls Promise.withResolvers (ES2024), which
 * Node 20, this project's floor and CI's Node, lacks (facts.md, "Local"): the one function it needs,
 * as the proposal defines it.
 */
const promiseConstructor = Promise as unknown as { withResolvers?: unknown };
if (promiseConstructor.withResolvers === undefined) {
  promiseConstructor.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
