import * as vscode from 'vscode';
import { Middleware } from 'vscode-languageclient/node';
import { compressedLogView } from './compressedLogs';
import { isCompressedName } from './logNames';

/**
 * References and definitions can point into a `.json.gz` file of a folder index. The server names
 * the file itself; the editor shows such a file through its decompressed view, where the
 * positions the server gives are. So locations in compressed files are turned into that view.
 */
function openable(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === 'file' && isCompressedName(uri.path) ? compressedLogView(uri) : uri;
}

function mapLocation<T extends vscode.Location | vscode.LocationLink>(location: T): T {
  if (location instanceof vscode.Location) {
    return new vscode.Location(openable(location.uri), location.range) as T;
  }
  const link: vscode.LocationLink = { targetUri: openable(location.targetUri), targetRange: location.targetRange };
  if (location.originSelectionRange) link.originSelectionRange = location.originSelectionRange;
  if (location.targetSelectionRange) link.targetSelectionRange = location.targetSelectionRange;
  return link as T;
}

export const compressedLocationsMiddleware: Middleware = {
  provideReferences: async (document, position, options, token, next) => (await next(document, position, options, token))?.map(mapLocation),
  provideDefinition: async (document, position, token, next) => {
    const result = await next(document, position, token);
    if (!result) return result;
    return Array.isArray(result)
      ? ((result as (vscode.Location | vscode.LocationLink)[]).map(mapLocation) as vscode.Definition | vscode.LocationLink[])
      : mapLocation(result);
  },
};
