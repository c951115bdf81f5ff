import { Disposable } from 'vscode-languageserver';

/** What the server needs from its host, passed in so tests can run it with fakes. */
export interface RuntimeEnvironment {
  readonly timer: {
    setTimeout(callback: () => void, ms: number): Disposable;
    setImmediate(callback: () => void): Disposable;
  };
}
