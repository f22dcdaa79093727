import * as pulumi from "@pulumi/pulumi";

/**
 * Small helpers every Groundwork component shares. Nothing here declares a resource.
 */

/**
 * Invalid component arguments. A `RunError`, so `pulumi up` prints the message without a stack
 * trace; the message names the component, its logical name and the argument.
 */
export class ComponentArgError extends pulumi.RunError {
    constructor(component: string, name: string, arg: string, message: string) {
        super(`${component} "${name}": args.${arg} ${message}`);
        this.name = "ComponentArgError";
    }
}

/** Throws a {@link ComponentArgError} unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(
    component: string,
    name: string,
    arg: string,
    value: string,
    allowed: readonly T[],
): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new ComponentArgError(
            component,
            name,
            arg,
            `is ${JSON.stringify(value)}; allowed: ${allowed.join(", ")}`,
        );
    }
    return value as T;
}

/** Throws a {@link ComponentArgError} unless `value` is a whole number within [min, max]. */
export function requireInt(
    component: string,
    name: string,
    arg: string,
    value: number,
    min: number,
    max: number,
): number {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new ComponentArgError(component, name, arg, `is ${value}; must be a whole number from ${min} to ${max}`);
    }
    return value;
}

// Naming moved to ./internal/naming; re-exported for the components that import it from here.
export { physicalName, stackScopedName } from "./internal/naming";

/** Resource options for a stateful child: `protect` and `retainOnDelete` follow the component's args. */
export function statefulOptions(
    parent: pulumi.Resource,
    protect: boolean | undefined,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return { ...extra, parent, protect: protect ?? false, retainOnDelete: protect ?? false };
}

/**
 * The resource-policy statement that refuses any request not made over TLS
 * (`aws:SecureTransport` false), for buckets, queues and topics alike.
 */
export function denyInsecureTransport(
    action: string,
    resource: pulumi.Input<string> | pulumi.Input<string>[],
): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** A JSON policy document whose values may be Outputs, rendered as a JSON string input. */
export function policyDocument(document: pulumi.Input<unknown>): pulumi.Output<string> {
    return pulumi.jsonStringify(pulumi.output(document));
}
