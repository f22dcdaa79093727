import * as pulumi from "@pulumi/pulumi";

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
