import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './languageServer';

// Transport (--stdio, --node-ipc, --socket=N) is chosen from the command line by createConnection.
const connection = createConnection(ProposedFeatures.all);
startServer(connection, {
  timer: {
    setTimeout: (callback, ms) => {
      const handle = setTimeout(callback, ms);
      return {
        dispose: () => {
          clearTimeout(handle);
        },
      };
    },
    setImmediate: (callback) => {
      const handle = setImmediate(callback);
      return {
        dispose: () => {
          clearImmediate(handle);
        },
      };
    },
  },
  // Bundled next to this file by scripts/build.mjs.
  folderIndexWorker: path.join(__dirname, 'indexWorker.js'),
  sigmaRules: path.join(__dirname, 'sigma'),
});
