/**
 * Environment: a few rules only bind in prod.
 *
 * Rules read `environment` from their config (set per stack in policy/dev.json and prod.json), falling back
 * to the stack name. A prod-only rule (`prodOnly` in its spec, see define.ts) is off in dev: it reports
 * nothing there, whatever its enforcement level. {@link isProd} is that guard, written once.
 */
import * as pulumi from "@pulumi/pulumi";

export type Environment = "dev" | "prod";

/**
 * Deliberately without a default: when the policy config doesn't say, the stack name decides (a policy
 * pack sees `pulumi.getStack()` since pulumi#3612), and anything unrecognized counts as prod.
 */
export const environmentProperty = {
    type: "string" as const,
    enum: ["dev", "prod"],
    description: "Stack environment. Unset: derived from the stack name (dev, dev-*: dev; anything else: prod).",
};

export function stackEnvironment(stack: string): Environment {
    const last = stack.split("/").pop() ?? "";
    return last === "dev" || last.startsWith("dev-") ? "dev" : "prod";
}

export function environmentOf(config: { environment?: unknown }): Environment {
    if (config.environment === "dev" || config.environment === "prod") {
        return config.environment;
    }
    let stack = "";
    try {
        stack = pulumi.getStack();
    } catch {
        // Outside a Pulumi program or policy pack host there is no stack: fall through to the strictest.
    }
    return stackEnvironment(stack);
}

/** Whether checks that bind only in prod run under this policy config: the one "prod only" guard. */
export function isProd(config: { environment?: unknown }): boolean {
    return environmentOf(config) === "prod";
}

/** The config of a rule that only reads the stack's environment (its prod-only guard). */
export interface EnvConfig {
    environment?: string;
}

/** The config schema of such a rule. */
export const envSchema = { properties: { environment: environmentProperty } };
