import * as pulumi from "@pulumi/pulumi";
import { ComponentArgError } from "../common";

/**
 * Physical names of Groundwork resources, derived deterministically so they never change between
 * updates (a changed name replaces most stateful resources). Nothing here declares a resource.
 */

/**
 * A physical name AWS limits in length and characters (ALB 32, target group 32, RDS identifier
 * 63 lower-case): lower-cased, non-alphanumerics folded to `-`, cut to `max` without a trailing
 * hyphen.
 */
export function physicalName(base: string, max: number): string {
    const folded = base
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "");
    return folded.slice(0, max).replace(/-+$/, "");
}

/**
 * A physical name unique to this project and stack (`groundwork-prod-database`), for resources
 * AWS names per account and region (RDS identifiers, replication groups, aliases, secrets); cut
 * to `max` like {@link physicalName}.
 */
export function stackScopedName(name: string, max: number): string {
    return physicalName(`${pulumi.getProject()}-${pulumi.getStack()}-${name}`, max);
}

/**
 * The Secrets Manager name of a Groundwork secret: `<project>/<stack>/<component>/<key>`. Names,
 * unlike ARNs, are known before deployment, so task-role policies and operators (`aws
 * secretsmanager put-secret-value --secret-id groundwork/prod/secrets/stripe`) can use them.
 */
export function secretName(component: string, key: string): string {
    return `${pulumi.getProject()}/${pulumi.getStack()}/${component}/${key}`;
}

/** `base` + `suffix`, cutting `base` (not the suffix) to fit `max`, without a hyphen before the suffix. */
export function withSuffix(base: string, suffix: string, max: number): string {
    return `${base.slice(0, max - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/**
 * The recovery window of a Groundwork secret: 30 days when protected, else 0. The provider's 0
 * deletes the secret with `ForceDeleteWithoutRecovery`, so its name is free again at once; any
 * other window keeps the name taken and a re-created stack fails with "already scheduled for
 * deletion" (Secrets Manager DeleteSecret: RecoveryWindowInDays 7-30 or ForceDeleteWithoutRecovery).
 * Exported so every component that stores a secret decides it the same way.
 */
export function requireRecoveryWindow(
    component: string,
    name: string,
    value: number | undefined,
    protect: boolean,
): number {
    const days = value ?? (protect ? 30 : 0);
    if (!Number.isInteger(days) || (days !== 0 && (days < 7 || days > 30))) {
        throw new ComponentArgError(
            component,
            name,
            "recoveryWindowInDays",
            `is ${days}; use 0 (delete at once) or a whole number from 7 to 30`,
        );
    }
    return days;
}

/**
 * Where the Fargate services of this stack log: `/ecs/<project>-<stack>/`, followed by the service
 * name (seed 002's `/ecs/<app>` layout, one group per service). The cluster's log key grants
 * CloudWatch Logs this prefix, and each service derives its group from it, so the two agree.
 */
export function ecsLogGroupPrefix(): string {
    return `/ecs/${pulumi.getProject()}-${pulumi.getStack()}/`;
}

/**
 * The IAM path of every role, instance profile and managed policy a Groundwork component creates:
 * `/<project>/<stack>/`. `GithubDeployRoles`' deploy role may create, change, pass and delete only
 * IAM entities under it, so the path is what marks a role as this stack's (IAM offers no condition
 * key for a role's permissions boundary on `UpdateAssumeRolePolicy`, `DeleteRole` or `PassRole`,
 * and tags can be added to any role). Changing a role's path replaces the role.
 */
export function stackIamPath(): string {
    return `/${pulumi.getProject()}/${pulumi.getStack()}/`;
}
