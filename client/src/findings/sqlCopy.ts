import * as vscode from 'vscode';
import type { SqlDialect, SqlResult } from '../../../server/src/protocol';

/** Copying SQL from the Findings and Events views: where it reads from, and the clipboard. */

const DIALECT_NAMES: Record<SqlDialect, string> = { athena: 'Athena', lake: 'CloudTrail Lake' };

/** The table or event data store the SQL reads, from the settings. */
export function sqlTarget(dialect: SqlDialect): string | undefined {
  const configuration = vscode.workspace.getConfiguration('cloudtrail.sql');
  const value = configuration.get<string>(dialect === 'athena' ? 'athenaTable' : 'lakeEventDataStore', '');
  return value.trim() === '' ? undefined : value.trim();
}

/** Puts the SQL on the clipboard and says so, or says why there is none. */
export async function copySql(result: SqlResult, what: string, dialect: SqlDialect): Promise<void> {
  if ('error' in result) {
    await vscode.window.showWarningMessage(`${what} cannot be written as ${DIALECT_NAMES[dialect]} SQL: ${result.error}`);
    return;
  }
  await vscode.env.clipboard.writeText(result.sql);
  void vscode.window.showInformationMessage(`Copied ${what} as ${DIALECT_NAMES[dialect]} SQL.`);
}
