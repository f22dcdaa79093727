import * as pulumi from "@pulumi/pulumi";

/** One problem with the stack config: the full config key (`groundwork:network.vpcCidr`) and what is wrong. */
export interface ConfigProblem {
    key: string;
    message: string;
}

/**
 * Invalid stack config. A `RunError`, so `pulumi up` and `pulumi preview` print the message alone,
 * without a stack trace; the offline plan prints it and exits 2. One line per problem, each
 * naming the key, the bad value and what is allowed.
 */
export class ConfigError extends pulumi.RunError {
    readonly problems: ConfigProblem[];

    constructor(problems: ConfigProblem[]) {
        super(problems.map((p) => `${p.key}: ${p.message}`).join("\n"));
        this.name = "ConfigError";
        this.problems = problems;
    }

    /** True for a ConfigError, also across copies of this module (tests clear the require cache). */
    static isConfigError(err: unknown): err is ConfigError {
        return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems);
    }
}
