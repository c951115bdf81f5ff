// The folders of CloudTrail logs the workbench opens: a fixed one for the end-to-end tests, built
// from test/fixtures, and the sample logs for the demo.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from './workbench.mjs';

const fixtures = join(repoRoot, 'test/fixtures');

/** A delivered log of 25 events by an IAM user and an assumed role (EC2, IAM, OpsWorks, CloudWatch). */
export const DELIVERED_GZ = '974349055189_CloudTrail_us-east-1_20140927T1950Z_6eYA9tIux8XBSUzz.json.gz';
/** A delivered log of two events, under its delivered name, uncompressed. */
export const DELIVERED_JSON = '111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json';

/**
 * The end-to-end workspace: every file name below is what the tests open. `from` is a fixture
 * copied as it is; `text` is written.
 */
export function testWorkspaceFiles() {
  const deliveredGz = readFileSync(join(fixtures, 'real/grycap-sample', DELIVERED_GZ));
  const records = JSON.parse(gunzipSync(deliveredGz).toString('utf8'));
  return [
    { name: DELIVERED_JSON, from: `real/trailscraper/${DELIVERED_JSON}` },
    { name: DELIVERED_GZ, from: `real/grycap-sample/${DELIVERED_GZ}` },
    // What the console's "Download events" gives: the same kind of records, pretty-printed, under a plain name.
    { name: 'console-download.json', text: `${JSON.stringify(records, null, 2)}\n` },
    { name: 'another-download.json', from: 'shapes/console-download-pretty.json' },
    { name: 'lookup-events.json', from: 'shapes/lookup-events.json' },
    { name: 'attack-events.json', from: 'real/stratus-red-team/aws.persistence.iam-create-admin-user.json' },
    { name: 'acm-get-certificate.json', from: 'aws-docs-acm/ct-acm-get.json' },
    { name: 'acm-request-certificate.json', from: 'aws-docs-acm/ct-acm-request.json' },
    // AWS documentation examples that are broken as published: unquoted keys, a missing comma.
    { name: 'acm-add-tags.cloudtrail.json', from: 'aws-docs-acm/ct-acm-addtags.json' },
    { name: 'acm-export-certificate.json', from: 'aws-docs-acm/ct-acm-export.current.json' },
    { name: 'not-cloudtrail.json', text: `${JSON.stringify({ name: 'inventory', items: [{ id: 1, region: 'eu-west-1' }] }, null, 2)}\n` },
  ];
}

/** Writes the end-to-end workspace into `folder` (created if needed); returns the folder. */
export function createTestWorkspace(folder) {
  mkdirSync(folder, { recursive: true });
  for (const file of testWorkspaceFiles()) {
    if (file.from) copyFileSync(join(fixtures, file.from), join(folder, file.name));
    else writeFileSync(join(folder, file.name), file.text);
  }
  return folder;
}

/** The demo's workspace: the sample logs when they are there, else the end-to-end workspace. */
export function createDemoWorkspace(folder) {
  const samples = join(repoRoot, 'media/sample-logs');
  if (existsSync(samples) && readdirSync(samples).length > 0) {
    mkdirSync(folder, { recursive: true });
    cpSync(samples, folder, { recursive: true });
    return folder;
  }
  return createTestWorkspace(folder);
}
