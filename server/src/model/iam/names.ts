/**
 * CloudTrail's names read without the IAM data, so that modules which only need a name (the API
 * reference links) do not load the table.
 */

const SUFFIX = '.amazonaws.com';
/** Longer names are not AWS operation names; they are not looked at. */
export const MAX_NAME_LENGTH = 128;

/** `ec2` for `ec2.amazonaws.com`; undefined for anything that is not an AWS service host. */
export function eventSourcePrefix(eventSource: string): string | undefined {
  if (eventSource.length > MAX_NAME_LENGTH || !eventSource.endsWith(SUFFIX)) {
    return undefined;
  }
  const prefix = eventSource.slice(0, -SUFFIX.length);
  return /^[a-z0-9][a-z0-9.-]*$/.test(prefix) ? prefix : undefined;
}

/**
 * The operation name behind a dated event name: Lambda and CloudFront log the API version they
 * were called with (`CreateFunction20150331`, `GetFunction20150331v2`, `PublishFunction2020_05_31`).
 */
export function undatedOperationName(eventName: string): string {
  const match = /^([A-Za-z]+?)(?:\d{8}|\d{4}_\d{2}_\d{2})(?:v\d{1,2})?$/.exec(eventName.length <= MAX_NAME_LENGTH ? eventName : '');
  return match ? match[1] : eventName;
}
