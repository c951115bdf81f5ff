import { iamPrefixForEventSource } from './resolve';

/**
 * IAM actions that are permissions only: IAM checks them while another call runs, but no API
 * operation of that name exists, so CloudTrail never writes an event named after them. The
 * service authorization data lists them among the other actions without telling them apart, so
 * they are named here. Sources: the "Permission-only actions" section of the service
 * authorization reference for AWS STS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html)
 * and the IAM User Guide on passing roles
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 */

export interface PermissionOnlyAction {
  /** The IAM action, `service:Name`. */
  action: string;
  /** When IAM checks it, finishing "it is a permission checked when ...". */
  checkedWhen: string;
  /** What to match instead, finishing "match ...". */
  matchInstead: string;
}

const PERMISSION_ONLY: readonly PermissionOnlyAction[] = [
  {
    action: 'iam:PassRole',
    checkedWhen: 'a call hands a role to an AWS service',
    matchInstead:
      'the call that passes the role, e.g. RunInstances or AssociateIamInstanceProfile (EC2), CreateFunction20150331 (Lambda), CreateStack (CloudFormation), or CreateJob (Glue), with requestParameters naming the role',
  },
  {
    action: 'sts:TagSession',
    checkedWhen: 'a role is assumed with session tags',
    matchInstead: 'AssumeRole, AssumeRoleWithSAML or AssumeRoleWithWebIdentity with requestParameters.tags (or principalTags)',
  },
  {
    action: 'sts:SetSourceIdentity',
    checkedWhen: 'a role is assumed with a source identity',
    matchInstead: 'AssumeRole, AssumeRoleWithSAML or AssumeRoleWithWebIdentity with requestParameters.sourceIdentity',
  },
];

const BY_ACTION = new Map(PERMISSION_ONLY.map((entry) => [entry.action.toLowerCase(), entry]));

/**
 * The permission-only action an event name stands for, if any. Without an event source, the
 * name alone decides when exactly one permission-only action has it.
 */
export function permissionOnlyAction(eventSource: string | undefined, eventName: string): PermissionOnlyAction | undefined {
  if (eventSource !== undefined) {
    const prefix = iamPrefixForEventSource(eventSource);
    return prefix === undefined ? undefined : BY_ACTION.get(`${prefix}:${eventName}`.toLowerCase());
  }
  const named = PERMISSION_ONLY.filter((entry) => entry.action.slice(entry.action.indexOf(':') + 1).toLowerCase() === eventName.toLowerCase());
  return named.length === 1 ? named[0] : undefined;
}
