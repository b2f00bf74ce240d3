/**
 * cdktf records a full stack trace in every token it creates, for the message of a token that later fails
 * to resolve (hashicorp/terraform-cdk packages/cdktf/lib/tokens/private/stack-trace.ts, called by the
 * Intrinsic, Lazy and ComplexComputedList constructors). A fleet of a thousand clusters creates some fifty
 * thousand tokens, and the traces never reach the output. cdktf has no switch for it, so this adapter swaps
 * the capture for an empty one while wisynth builds and writes its stacks, and restores it after: tokens a
 * user's own code creates keep their traces.
 */
import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';

type Capture = typeof stackTrace.captureStackTrace;

/** Runs `build` with cdktf's token stack traces off; `build` must be synchronous. */
export function withoutTokenStackTraces<T>(build: () => T): T {
  // the callers read the function off the module's exports at each call (`(0, stack_trace_1.captureStackTrace)()`)
  const exports = stackTrace as { captureStackTrace: Capture };
  const original = exports.captureStackTrace;
  exports.captureStackTrace = () => [];
  try {
    return build();
  } finally {
    exports.captureStackTrace = original;
  }
}
