import { Disposable } from 'vscode-languageserver';

/** What the server needs from its host, passed in so tests can run it with fakes. */
export interface RuntimeEnvironment {
  readonly timer: {
    setTimeout(callback: () => void, ms: number): Disposable;
    setImmediate(callback: () => void): Disposable;
  };
  /** The built worker script that indexes folders of logs; without it indexing runs on the server's thread. */
  readonly folderIndexWorker?: string;
  /** The folder of the bundled Sigma rules; without it they are looked for beside the code and in the source tree. */
  readonly sigmaRules?: string;
}
