import { RahnamaError, isRahnamaError } from "../errors.js";

export type Next = () => Promise<void>;

/** One named step of handling a message. Code after `await next()` runs on the way out. */
export interface Stage<C> {
  readonly name: string;
  readonly description: string;
  run(ctx: C, next: Next): Promise<void>;
}

/**
 * Chains stages into one function. A stage that does not call `next` ends the turn there; calling it
 * twice is a bug that would answer a message twice, so it throws.
 */
export function compose<C>(stages: readonly Stage<C>[]): (ctx: C) => Promise<void> {
  return async (ctx: C) => {
    const dispatch = async (index: number): Promise<void> => {
      const stage = stages[index];
      if (!stage) return;
      let called = false;
      try {
        await stage.run(ctx, async () => {
          if (called) {
            throw new RahnamaError("PIPELINE_NEXT_TWICE", `Stage "${stage.name}" called next() twice`);
          }
          called = true;
          await dispatch(index + 1);
        });
      } catch (error) {
        // Tag the innermost stage that failed, so the log says where without saying what was written.
        const wrapped = isRahnamaError(error)
          ? error
          : new RahnamaError("TURN_FAILED", `Stage "${stage.name}" failed`, { cause: error });
        wrapped.details.stage ??= stage.name;
        throw wrapped;
      }
    };
    await dispatch(0);
  };
}
