/**
 * `groundwork/testing/policy`: Groundwork's policy pack evaluated offline, in a unit test, over the
 * resources `runProgram()` (from `groundwork/testing`) records. It is the runner behind `npm run
 * plan` and `npm run policy` (policy/runner.ts): every policy gets what `pulumi preview --policy-pack`
 * would hand it, with the rules the pack runs.
 *
 * It needs `@pulumi/policy` (an optional peer dependency: install it as a devDependency to use this
 * entry). The main entry and `groundwork/testing` never load it. Its declarations name only the plan
 * record types, so they compile without `@pulumi/policy`'s own types under any compiler settings.
 */
import "./policy-sdk";
import * as path from "path";
import {
    evaluatePolicies,
    formatPolicyReport as formatReport,
    isDeferred as isDeferredFinding,
    loadPolicyConfig,
} from "../policy/runner";
import type { PlannedResource, PolicyReport, PolicyViolation } from "../policy/plan-types";

export type { PlannedResource, PolicyReport, PolicyViolation } from "../policy/plan-types";

/** How strictly a policy is enforced; `mandatory` (and `remediate`, offline) fails a preview. */
export type EnforcementLevel = PolicyViolation["enforcementLevel"];

/**
 * A policy config in `--policy-pack-config` form: policy name (or `all`) to an enforcement level, or to
 * an object with `enforcementLevel` and the policy's own settings (see the README's rule table).
 */
export type PolicyConfig = Record<
    string,
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** The policy configs Groundwork ships beside the pack. */
export type ShippedPolicyConfig = "dev" | "prod";

export interface CheckPoliciesOptions {
    /**
     * The policy config. `"dev"` or `"prod"`: the package's own policy/dev.json or policy/prod.json,
     * read from the installed package whatever the working directory. Any other string: a path to your
     * config file (`--policy-pack-config` format; relative to the working directory). An object: the
     * config itself. Invalid config (unknown policy, bad level, setting against the policy's schema)
     * throws, naming the fix.
     * @default none: each policy's own level and settings, as `pulumi preview --policy-pack` without
     * `--policy-pack-config`; environment-dependent rules then judge by the stack name (`dev`/`dev-*` is
     * dev, any other name prod, the strict side).
     */
    config?: string | PolicyConfig;
    /**
     * The stack the resources are for: `pulumi.getStack()` while the policies run, as inside a real pack.
     * @default the stack named in the resources' URNs (runProgram's `stack`)
     */
    stackName?: string;
}

const SHIPPED: readonly ShippedPolicyConfig[] = ["dev", "prod"];

/** The file a shipped config is read from, inside the installed package (dist/policy/ once built). */
export function shippedPolicyConfigFile(name: ShippedPolicyConfig): string {
    return path.join(__dirname, "..", "policy", `${name}.json`);
}

/** `urn:pulumi:<stack>::<project>::...`: the stack part. */
function stackOf(resources: readonly PlannedResource[]): string | undefined {
    const urn = resources.find((r) => r.urn.startsWith("urn:pulumi:"))?.urn;
    return urn?.slice("urn:pulumi:".length).split("::")[0] || undefined;
}

/**
 * Runs Groundwork's policy pack over planned resources, offline. Every violation is in the report;
 * a finding the pack could not decide at preview (an unknown value) is an advisory one for which
 * {@link isDeferred} is true. A policy that throws becomes a mandatory "policy crashed" finding of
 * that policy rather than an exception.
 *
 * ```ts
 * const { resources } = await runProgram({ project: "shop", stack: "dev", config: {}, program });
 * const report = checkPolicies(resources, { config: "dev" });
 * assert.deepStrictEqual(report.violations.filter((v) => v.enforcementLevel === "mandatory"), [], formatPolicyReport(report));
 * ```
 */
export function checkPolicies(resources: readonly PlannedResource[], options: CheckPoliciesOptions = {}): PolicyReport {
    const { config } = options;
    const stackName = options.stackName ?? stackOf(resources);
    if (typeof config === "string") {
        const shipped = SHIPPED.find((name) => name === config);
        const file = shipped ? shippedPolicyConfigFile(shipped) : config;
        return evaluatePolicies([...resources], loadPolicyConfig(file), {
            stackName,
            ...(shipped ? { configSource: `groundwork policy/${shipped}.json` } : {}),
        });
    }
    return evaluatePolicies([...resources], config ?? {}, { stackName });
}

/** The report as `pulumi preview` groups its Policies section: per level, per policy, per resource. */
export function formatPolicyReport(report: PolicyReport): string {
    return formatReport(report);
}

/** Whether a finding is a check deferred to `pulumi up` (a value unknown at preview), not a violation. */
export function isDeferred(violation: PolicyViolation): boolean {
    return isDeferredFinding(violation);
}
