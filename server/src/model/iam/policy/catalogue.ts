/**
 * What the policy work needs of the IAM data: which actions an event needs, whether an action
 * exists, and the services' names. Passed in as an argument, so tests can give a small catalogue
 * of their own; `iamCatalogue` is the real one.
 */

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface IamActionInfo {
  /** `iam:CreateAccessKey` */
  action: string;
  accessLevel: AccessLevel;
  resourceTypes: { name: string; arnPatterns: string[]; required: boolean }[];
  conditionKeys: string[];
  dependentActions: string[];
}

export type IamResolution = { kind: 'actions'; actions: IamActionInfo[] } | { kind: 'no-permission'; reason: string } | { kind: 'unknown' };

export interface IamCatalogue {
  /** `eventType` tells records no caller made (service events, console sign-ins). */
  resolveIamActions(eventSource: string, eventName: string, eventType?: string): IamResolution;
  iamActionExists(action: string): boolean;
  /** The service's name for an action prefix: "Amazon S3" for "s3". */
  iamServiceName(prefix: string): string | undefined;
}
