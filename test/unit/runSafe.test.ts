import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { RuntimeEnvironment } from '../../server/src/runtime';
import { runSafe } from '../../server/src/runSafe';

/** Timers that run when the test says so, to see what happens between scheduling and running. */
function manualRuntime(): { runtime: RuntimeEnvironment; runPending: () => void } {
  const pending: (() => void)[] = [];
  const schedule = (callback: () => void) => {
    pending.push(callback);
    return { dispose: () => pending.splice(pending.indexOf(callback), 1) };
  };
  return {
    runtime: { timer: { setTimeout: schedule, setImmediate: schedule } },
    runPending: () => {
      pending.splice(0).forEach((callback) => {
        callback();
      });
    },
  };
}

describe('runSafe', () => {
  it('answers with the handler result', async () => {
    const { runtime, runPending } = manualRuntime();
    const answer = runSafe(
      runtime,
      () => assert.fail('nothing to log'),
      () => 42,
      0,
      'answering',
      new CancellationTokenSource().token,
    );
    runPending();
    assert.equal(await answer, 42);
  });

  it('turns an exception into the error value and a log line, so the server lives on', async () => {
    const { runtime, runPending } = manualRuntime();
    const logged: string[] = [];
    const answer = runSafe(
      runtime,
      (message) => logged.push(message),
      () => {
        throw new Error('boom');
      },
      null,
      'computing a hover',
      new CancellationTokenSource().token,
    );
    runPending();
    assert.equal(await answer, null);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^Error while computing a hover: boom/);
  });

  it('does not compute a request cancelled while it waited, and says it was cancelled', async () => {
    const { runtime, runPending } = manualRuntime();
    const source = new CancellationTokenSource();
    let computed = false;
    const answer = runSafe(
      runtime,
      () => undefined,
      () => (computed = true),
      false,
      'waiting',
      source.token,
    );
    source.cancel();
    runPending();
    const result = await answer;
    assert.equal(computed, false);
    assert.ok(result instanceof ResponseError);
    assert.equal(result.code, LSPErrorCodes.RequestCancelled);
  });
});
