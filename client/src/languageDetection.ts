/**
 * Decides from the first characters of a JSON document whether it is a CloudTrail log, so that
 * a pretty-printed download (whose first line is a lone "{") still gets the CloudTrail language.
 * Pure: no VS Code API, tested in plain Node.
 */

/** How much of the document's beginning is looked at. */
export const DETECTION_PREFIX_LENGTH = 4096;

const CLOUDTRAIL_OPENING = [
  // {"Records": [ ... delivered logs and console downloads
  /^\s*\{\s*"Records"\s*:\s*\[/,
  // {"Events": [ {"EventId": ... lookup-events output
  /^\s*\{\s*"Events"\s*:\s*\[\s*(\{\s*"(EventId|EventName|CloudTrailEvent|eventVersion)"|\])/,
  // one lookup-events item per line, as `jq -c '.Events[]'` and boto3 scripts write them
  /^\s*\{\s*"(EventId|EventName)"[^\n]*"CloudTrailEvent"\s*:/,
  // an array of events, or one event: the first key of a record is eventVersion
  /^\s*\[?\s*\{\s*"eventVersion"\s*:\s*"\d+\.\d+"/,
  // an EventBridge envelope around a CloudTrail record
  /^\s*\{[^]*"detail-type"\s*:\s*"AWS (API Call|Console Sign In|Service Event) via CloudTrail"/,
];

/** True when the start of a document looks like one of the CloudTrail shapes. */
export function looksLikeCloudTrail(prefix: string): boolean {
  const head = prefix.charCodeAt(0) === 0xfeff ? prefix.slice(1) : prefix;
  if (CLOUDTRAIL_OPENING.some((pattern) => pattern.test(head))) {
    return true;
  }
  // Records whose first key is not eventVersion: several CloudTrail-only keys close together.
  const keys = ['"eventSource"', '"eventName"', '"userIdentity"', '"awsRegion"', '"eventTime"', '"sourceIPAddress"'];
  const found = keys.filter((key) => head.includes(key)).length;
  return /^\s*[[{]/.test(head) && found >= 4;
}
