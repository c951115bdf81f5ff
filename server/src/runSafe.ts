import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { RuntimeEnvironment } from './runtime';

/**
 * Runs a request handler so that an exception becomes a logged error and an empty answer instead
 * of a dead server, and a request cancelled while it waited is not computed at all.
 */
export function runSafe<T, E = void>(
  runtime: RuntimeEnvironment,
  log: (message: string) => void,
  compute: () => T,
  errorValue: T,
  what: string,
  token: CancellationToken,
): Promise<T | ResponseError<E>> {
  return new Promise((resolve) => {
    runtime.timer.setImmediate(() => {
      if (token.isCancellationRequested) {
        resolve(cancelled<E>());
        return;
      }
      try {
        const result = compute();
        // compute() may have taken a while: the request can have been cancelled meanwhile, which
        // the narrowing from the check above does not know.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        resolve(token.isCancellationRequested ? cancelled<E>() : result);
      } catch (error) {
        // A handler that rejects its parameters answers with its own error, not an empty result.
        if (error instanceof ResponseError) {
          resolve(error as ResponseError<E>);
          return;
        }
        log(formatError(`Error while ${what}`, error));
        resolve(errorValue);
      }
    });
  });
}

export function formatError(message: string, error: unknown): string {
  if (error instanceof Error) {
    return `${message}: ${error.message}\n${error.stack ?? ''}`;
  }
  return `${message}: ${String(error)}`;
}

function cancelled<E>(): ResponseError<E> {
  return new ResponseError<E>(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * Which requests the server still answers. After `shutdown` the protocol expects only `exit`, so
 * every other request is refused with InvalidRequest; parameters of the wrong shape are refused
 * with InvalidParams instead of being answered with a guess.
 */
export class RequestGate {
  private shutDown = false;

  shutdown(): void {
    this.shutDown = true;
  }

  /** The error to answer instead of computing anything, or undefined when the request may run. */
  refusal<E = void>(params: unknown, wellFormed: (params: unknown) => boolean): ResponseError<E> | undefined {
    if (this.shutDown) {
      return new ResponseError<E>(ErrorCodes.InvalidRequest, 'The server is shutting down and answers no more requests.');
    }
    if (!wellFormed(params)) {
      return new ResponseError<E>(ErrorCodes.InvalidParams, 'The request\u2019s parameters are not of the expected shape.');
    }
    return undefined;
  }
}
